package io.orgsync.cluster;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.LogCapture;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node whose wall clock is 20 s ahead of everybody's (NTP off), in a MariaDB cluster of two
 * in-JVM nodes: its run watch does not take a healthy sync on the other node for a dead one
 * (before, it ended it ABANDONED, "no heartbeat for 22 s"), because every node compares times of
 * the database's clock; and it says that its clock is off, on /health, in the log (once, not at
 * every heartbeat), as an alert and as a metric.
 */
class ClockSkewTest {
    private static final String TOKEN = "skew-admin-token-0123456789";
    private static final String CORP = "ww-skew";
    private static final String SECRET = "skew-secret-0123456789";
    private static final String ROBOT = "skew-robot";
    private static final Duration AHEAD = Duration.ofSeconds(20);

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    @Test
    void aNodeWhoseClockIsAheadLeavesAnotherNodesSyncAloneAndReportsItsSkew() throws Exception {
        String db = TestDatabases.mariadb("clock_skew");
        sim.createCorp(CORP, SECRET, 4, 20, true);
        MutableClock ahead = new MutableClock();
        ahead.skew(AHEAD);
        try (LogCapture log = LogCapture.start();
                Node a = start(TestNode.node("skew-a", db, sim), new MutableClock());
                // B serves the admin API and watches runs; A alone runs the sync
                Node b = start(TestNode.node("skew-b", db, sim).with("ORGSYNC_SCHEDULER_ENABLED", false), ahead)) {
            a.enterprises().put(CORP, new EnterpriseChange("Skew Co", SECRET, TestNode.NEVER, true, null));

            // about 4 s of fetching: one slow member list per department
            sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", CORP, "latencyMs", 1000));
            assertEquals(
                    200, admin(b).post("/admin/api/jobs/" + CORP + "/trigger").status());
            long id = Waiting.await(
                    seconds(30),
                    "the run to start on skew-a",
                    () -> NodeInternals.runs(a)
                            .last(CORP)
                            .filter(r -> r.status() == RunStatus.RUNNING)
                            .map(Run::id)
                            .orElse(null));
            int watched = 0;
            while (NodeInternals.runs(a).find(id).orElseThrow().status() == RunStatus.RUNNING) {
                assertEquals(
                        0,
                        NodeInternals.runWatch(b).beat(),
                        "skew-b's run watch ended a run: "
                                + NodeInternals.runs(a).find(id));
                watched++;
                Thread.sleep(300);
            }
            Run run = NodeInternals.runs(a).find(id).orElseThrow();
            System.out.println("run " + id + " watched " + watched + " times by skew-b: " + run.status() + " "
                    + (run.finishedAt() - run.startedAt()) + " ms");
            assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
            assertEquals("skew-a", run.instanceId());
            assertTrue(watched >= 3, "the run was over too soon to tell: watched " + watched + " times");

            // the heartbeat B wrote is in the database's time: A sees it as recent, not 20 s ahead
            ClusterNode seen = NodeInternals.nodeRegistry(a).nodes().stream()
                    .filter(n -> n.instanceId().equals("skew-b"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    Math.abs(seen.lastSeen() - System.currentTimeMillis()) < NodeRegistry.HEARTBEAT.toMillis() + 2_000,
                    "skew-b's last heartbeat is " + (seen.lastSeen() - System.currentTimeMillis()) + " ms from now");

            JsonNode clock = admin(b).get("/health").json().path("clock");
            long offset = clock.path("offsetMs").asLong();
            assertTrue(Math.abs(offset - AHEAD.toMillis()) < 1_000, "skew-b's /health: " + clock);
            assertTrue(clock.path("skewed").asBoolean(), clock.toString());
            assertEquals("database", clock.path("source").asText(), clock.toString());
            JsonNode fine = admin(a).get("/health").json().path("clock");
            assertFalse(fine.path("skewed").asBoolean(), "skew-a's /health: " + fine);
            assertTrue(Math.abs(fine.path("offsetMs").asLong()) < 1_000, fine.toString());

            String alert = Waiting.await(seconds(20), "a clock_skew alert at the group robot", () -> {
                for (JsonNode m : sim.webhookMessages(ROBOT)) {
                    String text = m.path("message").path("text").path("content").asText();
                    if (text.contains("clock_skew")) {
                        return text;
                    }
                }
                return null;
            });
            assertTrue(alert.contains("skew-b") && alert.contains("ahead"), alert);

            double metric = admin(b).get("/metrics")
                    .body()
                    .lines()
                    .filter(l -> l.startsWith("orgsync_clock_offset_seconds "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no orgsync_clock_offset_seconds on skew-b's /metrics"));
            assertTrue(Math.abs(metric - AHEAD.toSeconds()) < 1, "skew-b's orgsync_clock_offset_seconds " + metric);

            // a warning when the skew is found, not one at every heartbeat
            NodeInternals.nodeRegistry(b).tick();
            NodeInternals.nodeRegistry(b).tick();
            List<LogCapture.Line> said = log.lines().stream()
                    .filter(l -> l.logger().equals(ClockCheck.class.getName()))
                    .toList();
            assertEquals(1, said.size(), "what the clock check logged: " + said);
            assertTrue(said.get(0).rendered().contains("WARN"), said.toString());
            assertTrue(
                    said.get(0)
                            .rendered()
                            .matches("(?s).*The clock of node skew-b is (19|20)\\.\\d s ahead of the database's.*"),
                    said.toString());
        }
    }

    private static Node start(TestNode env, MutableClock clock) throws Exception {
        return env.with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .alertsTo(sim.baseUrl(), ROBOT)
                .start(clock);
    }

    private static AdminClient admin(Node node) {
        return new AdminClient("http://127.0.0.1:" + node.port(), TOKEN, AdminClient.newLog());
    }
}
