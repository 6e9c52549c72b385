package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.NodeInternals;
import io.orgsync.simulator.EventSealer;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.StartedNodes;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An ids-style event for a member user/get does not show yet (60111) is retried with backoff and
 * applied once the member is readable, never taken for a deletion; one that stays unreadable ends
 * FAILED with an {@code events_failing} alert.
 */
class CallbackRetryTest {
    private static final String SECRET = "callback-retry-secret-01";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    @RegisterExtension
    final StartedNodes nodes = new StartedNodes();

    private ApiNode node;

    @Test
    void notYetReadableIsRetriedAndNeverReadableFails() throws Exception {
        String corp = "ww-cb-retry";
        sim.createCorp(corp, SECRET, 3, 10, true);
        // the node's clock is moved on through the ghost's half minute of backoff instead of waiting it out
        MutableClock clock = new MutableClock();
        node = nodes.start("cb-retry", TestDatabases.mariadb("callback_retry"), sim, Map.of(), clock);
        EventSealer wecom = CallbackFixture.syncedAndDirect(node, corp, SECRET);
        long now = System.currentTimeMillis() / 1000;

        assertEquals(
                200,
                post(wecom, corp, now, "late1", created(corp, "latecomer", now)).status());
        Waiting.until(
                Duration.ofSeconds(20),
                "a first failed read",
                () -> node.node.events().recent(corp, 1).get(0).attempts() >= 1);
        assertEquals(
                EventStatus.PENDING, node.node.events().recent(corp, 1).get(0).status());
        // the member becomes readable only now (no callback registered in the simulator: the event above is the only
        // one)
        sim.post(
                "/__sim/corps/" + corp + "/members",
                Map.of("userid", "latecomer", "name", "迟到的人", "department", List.of(1), "mobile", "13900008001"));
        Waiting.until(
                Duration.ofSeconds(30),
                "applied on a retry",
                () -> node.node.events().recent(corp, 1).get(0).status() == EventStatus.APPLIED);
        assertEquals(
                "迟到的人",
                NodeInternals.members(node.node)
                        .byMobile("13900008001", corp)
                        .get(0)
                        .name());

        assertEquals(
                200,
                post(wecom, corp, now, "ghost1", created(corp, "ghost", now)).status());
        StoredEvent failed = Waiting.await(Duration.ofSeconds(90), "the ghost's event FAILED", () -> {
            StoredEvent e = node.node.events().recent(corp, 1).get(0);
            if (e.status() == EventStatus.FAILED) {
                return e;
            }
            clock.advance(Duration.ofSeconds(4));
            return null;
        });
        assertTrue(failed.attempts() >= 3, "retried with backoff first: " + failed);
        assertTrue(
                clock.millis() - failed.receivedAt() >= EventRetryPolicy.NOT_READABLE_PATIENCE.toMillis(),
                "given up only after half a minute: " + failed);
        assertTrue(failed.error().contains("ghost"), failed.error());
        Waiting.until(
                Duration.ofSeconds(20),
                "an events_failing alert",
                () -> node.node.alerts().recent(10).stream()
                        .anyMatch(a -> a.type().equals("events_failing")));
        assertTrue(
                io.orgsync.testing.OrgTruth.departed(node.node.dataSource(), corp)
                        .isEmpty(),
                "nobody marked departed");
    }

    private static String created(String corp, String userid, long createTime) {
        return CallbackFixture.changeXml(
                corp,
                createTime,
                Map.of("Event", "change_contact", "ChangeType", "create_user", "UserID", userid, "Department", "1"));
    }

    private ApiNode.Response post(EventSealer wecom, String corp, long timestamp, String nonce, String xml)
            throws Exception {
        return CallbackFixture.post(node, wecom, corp, timestamp, nonce, xml);
    }
}
