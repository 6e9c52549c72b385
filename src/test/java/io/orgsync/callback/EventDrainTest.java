package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orgsync.NodeInternals;
import io.orgsync.cluster.NodeRegistry;
import io.orgsync.simulator.EventSealer;
import io.orgsync.store.Sql;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the queues are drained: enterprises in parallel, so that one whose re-reads hang holds up no
 * other; and the queue of a node that died holding it is taken over as soon as the node counts as
 * dead (as its sync jobs are), not when its lease runs out.
 */
class EventDrainTest {
    private static final String SECRET = "event-drain-secret-01";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final List<ApiNode> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        // the re-reads the test left hanging end now: a node's close would otherwise wait for its
        // drainers in their calls until it gives up on them (5 s)
        sim.releaseHeldCalls();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    private ApiNode start(String name, String db, Clock clock) throws Exception {
        // a re-read that hangs stays in flight for the whole test instead of timing out into a retry
        ApiNode node = ApiNode.start(name, db, sim, Map.of("ORGSYNC_UPSTREAM_TIMEOUT_MS", "60000"), clock);
        nodes.add(node);
        return node;
    }

    private static String enterprise(ApiNode via, String corp) throws Exception {
        sim.createCorp(corp, SECRET, 2, 5, true);
        via.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, via.sync(corp).status());
        NodeInternals.callbacks(via.node).put(corp, CallbackFixture.TOKEN, CallbackFixture.AES_KEY);
        return sim.export(corp).path("members").get(0).path("userid").asText();
    }

    private static void post(ApiNode to, String corp, Clock clock, String nonce, String xml) throws Exception {
        ApiNode.Response r = CallbackFixture.post(
                to,
                new EventSealer(CallbackFixture.TOKEN, CallbackFixture.AES_KEY, corp),
                corp,
                clock.millis() / 1000,
                nonce,
                xml);
        assertEquals(200, r.status(), r.toString());
    }

    private static StoredEvent last(ApiNode node, String corp) throws Exception {
        return node.node.events().recent(corp, 1).get(0);
    }

    /** The next user/get of {@code corp} hangs for {@code ms}. */
    private static void hangNextRead(String corp, int ms) {
        sim.fault(Map.of("path", "/cgi-bin/user/get", "corpId", corp, "latencyMs", ms, "count", 1));
    }

    private static void awaitRead(String corp) {
        Waiting.until(
                Duration.ofSeconds(10),
                "a user/get of " + corp + " in flight",
                () -> sim.calls("/cgi-bin/user/get", corp) >= 1);
    }

    @Test
    void anEnterpriseWhoseReReadHangsHoldsUpNoOther() throws Exception {
        ApiNode node = start("drain-one", TestDatabases.h2("event_drain"), Clock.systemUTC());
        String x = enterprise(node, "ww-drain-x");
        String y = enterprise(node, "ww-drain-y");
        long now = System.currentTimeMillis() / 1000;
        sim.resetStats();
        hangNextRead("ww-drain-x", 6_000);
        post(node, "ww-drain-x", Clock.systemUTC(), "x1", CallbackFixture.idOnlyUpdate("ww-drain-x", x, now));
        awaitRead("ww-drain-x");
        post(node, "ww-drain-y", Clock.systemUTC(), "y1", CallbackFixture.rename("ww-drain-y", y, now, "不等"));
        Waiting.until(
                Duration.ofSeconds(20),
                "Y's event applied",
                () -> last(node, "ww-drain-y").status() == EventStatus.APPLIED);
        StoredEvent xEvent = last(node, "ww-drain-x");
        assertEquals(EventStatus.PENDING, xEvent.status(), "Y waited for X's hanging re-read: " + xEvent);
        assertEquals(0, xEvent.attempts(), xEvent.toString());
    }

    @Test
    void theQueueOfADeadNodeIsTakenOverWhenItsJobsWouldBe() throws Exception {
        String db = TestDatabases.mariadb("event_takeover");
        // one clock for both nodes: the lease times and heartbeats are compared on one time line
        MutableClock clock = new MutableClock();
        ApiNode a = start("drain-a", db, clock);
        ApiNode b = start("drain-b", db, clock);
        String corp = "ww-drain-dead";
        String userid = enterprise(a, corp);
        sim.resetStats();
        hangNextRead(corp, 30_000);
        post(a, corp, clock, "d1", CallbackFixture.idOnlyUpdate(corp, userid, clock.millis() / 1000));
        awaitRead(corp);
        String holder = Sql.withConnection(
                        a.node.dataSource(),
                        c -> Sql.one(
                                c, "SELECT owner FROM callback_queue WHERE corp_id = ?", rs -> rs.getString(1), corp))
                .orElseThrow();
        ApiNode dead = holder.equals("drain-a") ? a : b;
        ApiNode survivor = dead == a ? b : a;
        // the holder dies: its heartbeat stops, its applier hangs on in its call and releases nothing
        NodeInternals.nodeRegistry(dead.node).close();
        clock.advance(NodeRegistry.ALIVE_WINDOW.plusSeconds(1));
        NodeInternals.nodeRegistry(survivor.node).tick();
        Waiting.until(
                Duration.ofSeconds(10),
                "the survivor applies the dead node's event",
                () -> last(survivor, corp).status() == EventStatus.APPLIED);
    }
}
