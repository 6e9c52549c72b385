package io.orgsync.schedule;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.AdminClient.Reply;
import io.orgsync.testing.RunRows;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RUNNING rows that no run stands behind any more, on a MariaDB cluster of two nodes ("sched"
 * runs jobs, "api" only serves the admin API), over HTTP: a row of a node that died, a row its
 * own live node failed to end (the database dropped as the run recorded its end), a row
 * without progress for minutes. None of them counts as running: triggers are accepted, /jobs
 * does not say RUNNING, and the cluster ends each ABANDONED. A run that really goes on still
 * counts as running for as long as it lasts. Both nodes beat (and watch the rows) every second,
 * so that the test waits for a pass of the watch a second at most.
 */
class StuckRunTest {
    private static final String TOKEN = "admin-token-0123456789abcdef";
    private static final String NEVER = "0 0 3 1 1 ? 2099";
    private static final String SECRET = "stuck-secret-0123456789";
    private static final int HEARTBEAT_MS = 1000;
    private static SimulatorControl sim;
    private static String url;
    private static Node sched;
    private static Node api;
    private static AdminClient viaSched;
    private static AdminClient viaApi;

    @BeforeAll
    static void start() throws Exception {
        url = TestDatabases.mariadb("stuck_runs");
        sim = new SimulatorControl();
        sched = TestNode.node("sched", url, sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .with("ORGSYNC_DEPT_RATE", 1000)
                .with("ORGSYNC_HEARTBEAT_MS", HEARTBEAT_MS)
                .start();
        api = TestNode.node("api", url, sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .with("ORGSYNC_SCHEDULER_ENABLED", false)
                .with("ORGSYNC_HEARTBEAT_MS", HEARTBEAT_MS)
                .start();
        viaSched = new AdminClient("http://127.0.0.1:" + sched.port(), TOKEN, AdminClient.newLog());
        viaApi = new AdminClient("http://127.0.0.1:" + api.port(), TOKEN, AdminClient.newLog());
        for (String corp : new String[] {"ww-stuck-dead", "ww-stuck-orphan", "ww-stuck-stalled", "ww-stuck-live"}) {
            sim.createCorp(corp, SECRET, 10, 40, true);
            Reply put = viaApi.put("/admin/api/enterprises/" + corp, Map.of("secret", SECRET, "cron", NEVER));
            assertEquals(200, put.status(), put.toString());
        }
    }

    @AfterAll
    static void stop() {
        for (Node n : new Node[] {api, sched}) {
            if (n != null) {
                n.close();
            }
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void aRowOfADeadNodeDoesNotBlockAForcedTriggerAndEndsAbandoned() throws Exception {
        long now = System.currentTimeMillis();
        node("gone-node", now - 600_000);
        long stuck = insertRunning("ww-stuck-dead", "gone-node", now - 20_000, now - 5_000);

        String state = jobState(viaApi, "ww-stuck-dead");
        Reply forced = viaApi.post("/admin/api/jobs/ww-stuck-dead/trigger?force=true");
        System.out.println("a dead node's RUNNING row: job state " + state + ", forced trigger " + forced.status());
        assertEquals("NORMAL", state, "a dead node's row is not a running job");
        assertEquals(200, forced.status(), forced.toString());
        Waiting.until(seconds(30), "the dead node's row to end ABANDONED", () -> "ABANDONED".equals(status(stuck)));
        JsonNode rerun = Waiting.await(seconds(30), "the forced run to finish", () -> {
            JsonNode last = viaApi.get("/admin/api/runs?corpId=ww-stuck-dead&limit=1")
                    .json()
                    .path(0);
            return last.path("id").asLong() > stuck && !last.path("finishedAt").isNull() ? last : null;
        });
        assertEquals("SUCCEEDED", rerun.path("status").asText(), rerun.toString());
        assertEquals("sched", rerun.path("instanceId").asText());
    }

    @Test
    void aRowItsLiveNodeFailedToEndIsEndedWithinAHeartbeat() throws Exception {
        long now = System.currentTimeMillis();
        // what a run leaves behind when the database drops as it records its end: the node is alive, the run is not
        long stuck = insertRunning("ww-stuck-orphan", "sched", now - 1_000, null);

        Waiting.until(seconds(30), "the orphaned row to end ABANDONED", () -> "ABANDONED".equals(status(stuck)));
        System.out.println("orphaned row " + stuck + " ended after " + (System.currentTimeMillis() - now) + " ms: "
                + error(stuck));
        assertTrue(error(stuck).contains("no longer runs it"), error(stuck));
        Reply trigger = viaApi.post("/admin/api/jobs/ww-stuck-orphan/trigger");
        assertEquals(200, trigger.status(), trigger.toString());
    }

    @Test
    void aRowWithoutProgressForMinutesDoesNotCountAndIsEnded() throws Exception {
        long now = System.currentTimeMillis();
        // a node that beats (an older build, say) but whose run has shown nothing for three minutes
        node("beating-node", now + 600_000);
        long stuck = insertRunning("ww-stuck-stalled", "beating-node", now - 240_000, now - 180_000);

        String state = jobState(viaSched, "ww-stuck-stalled");
        System.out.println("a RUNNING row without progress for 3 minutes: job state " + state);
        assertEquals("NORMAL", state);
        // not triggered: the row must be ended by the cluster's watch, not by a next run taking over
        Waiting.until(seconds(30), "the stalled row to end ABANDONED", () -> "ABANDONED".equals(status(stuck)));
        assertTrue(error(stuck).contains("no progress"), error(stuck));
    }

    @Test
    void aRunThatReallyGoesOnCountsAsRunningThroughout() throws Exception {
        // about 5 s of fetching: several heartbeats, so the watch sees it more than once
        sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", "ww-stuck-live", "latencyMs", 500));
        try {
            assertEquals(
                    200, viaApi.post("/admin/api/jobs/ww-stuck-live/trigger").status());
            long id = Waiting.await(seconds(30), "the live run to start", () -> {
                JsonNode last = viaApi.get("/admin/api/runs?corpId=ww-stuck-live&limit=1")
                        .json()
                        .path(0);
                return "RUNNING".equals(last.path("status").asText())
                        ? last.path("id").asLong()
                        : null;
            });
            long started = System.currentTimeMillis();
            int conflicts = 0;
            while ("RUNNING".equals(status(id))) {
                String state = jobState(viaApi, "ww-stuck-live");
                Reply again = viaApi.post("/admin/api/jobs/ww-stuck-live/trigger?force=true");
                // still running after both: they were answered while it ran (it may end between two reads)
                if ("RUNNING".equals(status(id))) {
                    assertEquals("RUNNING", state);
                    assertEquals(409, again.status(), again.toString());
                    conflicts++;
                }
                Thread.sleep(500);
            }
            System.out.println("live run " + id + ": " + conflicts + " forced triggers refused over "
                    + (System.currentTimeMillis() - started) + " ms");
            assertEquals("SUCCEEDED", status(id), error(id));
            assertTrue(conflicts >= 5, "the run was over too soon to tell: " + conflicts);
        } finally {
            sim.clearFaults();
        }
    }

    private static String jobState(AdminClient via, String corpId) {
        for (JsonNode j : via.get("/admin/api/jobs").json()) {
            if (corpId.equals(j.path("corpId").asText())) {
                return j.path("state").asText();
            }
        }
        throw new AssertionError("no job for " + corpId);
    }

    private static Connection db() throws Exception {
        return DriverManager.getConnection(url, TestDatabases.user(url), TestDatabases.password(url));
    }

    /** A cluster_node row (of another environment: it must not fence the test's nodes). */
    private static void node(String instanceId, long lastSeen) throws Exception {
        try (Connection c = db()) {
            RunRows.node(c, instanceId, lastSeen);
        }
    }

    private static long insertRunning(String corpId, String instanceId, long startedAt, Long progressAt)
            throws Exception {
        try (Connection c = db()) {
            return RunRows.running(c, corpId, instanceId, startedAt, progressAt);
        }
    }

    private static String status(long runId) throws Exception {
        return column(runId, "status");
    }

    private static String error(long runId) throws Exception {
        return column(runId, "error");
    }

    private static String column(long runId, String column) throws Exception {
        try (Connection c = db();
                PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM sync_run WHERE id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
