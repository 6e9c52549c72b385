package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.NodeInternals;
import io.orgsync.simulator.EventSealer;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two writing nodes on one MariaDB receive one enterprise's events at once (as behind a load
 * balancer): each event is applied exactly once, in arrival order. An event that arrives while
 * the enterprise row is locked, as a sync's apply locks it, waits for that transaction.
 */
class CallbackClusterTest {
    private static final String SECRET = "callback-cluster-secret-01";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private ApiNode a;
    private ApiNode b;

    @AfterEach
    void close() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private String start(String corp) throws Exception {
        sim.createCorp(corp, SECRET, 4, 20, true);
        String db = TestDatabases.mariadb("callback_cluster");
        a = ApiNode.start("cb-node-a", db, sim, Map.of());
        b = ApiNode.start("cb-node-b", db, sim, Map.of());
        a.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        NodeInternals.callbacks(a.node).put(corp, CallbackFixture.TOKEN, CallbackFixture.AES_KEY);
        return sim.export(corp).path("members").get(0).path("userid").asText();
    }

    @Test
    void twoNodesApplyEachEventOnceInOrder() throws Exception {
        String corp = "ww-cb-cluster";
        String userid = start(corp);
        EventSealer wecom = new EventSealer(CallbackFixture.TOKEN, CallbackFixture.AES_KEY, corp);
        int n = 60;
        long now = System.currentTimeMillis() / 1000;
        // sent one after the other (WeCom does), alternating between the nodes, as fast as they answer
        for (int i = 0; i < n; i++) {
            ApiNode to = i % 2 == 0 ? a : b;
            ApiNode.Response r = CallbackFixture.post(
                    to, wecom, corp, now, "n" + i, CallbackFixture.rename(corp, userid, now, "第" + i + "版"));
            assertEquals(200, r.status(), r.toString());
        }
        Waiting.until(
                Duration.ofSeconds(60),
                "all applied",
                () -> a.node.events().recent(corp, 1000).stream().allMatch(e -> e.status() == EventStatus.APPLIED));
        List<StoredEvent> events = a.node.events().recent(corp, 1000).stream()
                .sorted(Comparator.comparingLong(StoredEvent::id))
                .toList();
        assertEquals(n, events.size());
        for (int i = 1; i < n; i++) {
            assertTrue(events.get(i).appliedAt() >= events.get(i - 1).appliedAt(), "applied in arrival order at " + i);
        }
        assertTrue(events.stream().allMatch(e -> e.attempts() == 1), "each applied by one attempt of one node");
        assertEquals(
                "第" + (n - 1) + "版",
                NodeInternals.members(a.node).byUserid(corp, userid).get(0).name());
    }

    @Test
    void anEventWaitsForTheEnterpriseLockOfASyncApply() throws Exception {
        String corp = "ww-cb-locked";
        String userid = start(corp);
        EventSealer wecom = new EventSealer(CallbackFixture.TOKEN, CallbackFixture.AES_KEY, corp);
        long now = System.currentTimeMillis() / 1000;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection c = a.node.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT corp_id FROM enterprise WHERE corp_id = ? FOR UPDATE")) {
                ps.setString(1, corp);
                ps.executeQuery().close();
            }
            // the endpoint does not need the lock: the event is stored and answered at once
            Future<ApiNode.Response> answer = pool.submit(() -> CallbackFixture.post(
                    b, wecom, corp, now, "locked1", CallbackFixture.rename(corp, userid, now, "锁后")));
            assertEquals(200, answer.get().status());
            Thread.sleep(2000);
            assertEquals(
                    EventStatus.PENDING,
                    a.node.events().recent(corp, 1).get(0).status(),
                    "not applied inside the locked transaction");
            c.commit();
        } finally {
            pool.shutdownNow();
        }
        Waiting.until(
                Duration.ofSeconds(30),
                "applied after the lock",
                () -> a.node.events().recent(corp, 1).get(0).status() == EventStatus.APPLIED);
        assertEquals(
                "锁后",
                NodeInternals.members(a.node).byUserid(corp, userid).get(0).name());
    }
}
