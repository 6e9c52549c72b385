package io.orgsync.cluster;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.QuartzTiming;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stale-build fencing on a MariaDB cluster: two scheduler nodes of one environment report
 * different builds; the older one stops taking jobs, says so in the cluster view, /health and
 * an alert at the group robot, and takes jobs again once the newer node has gone.
 */
class FencingTest {
    static final String TOKEN = "fencing-admin-token-0123456789";
    static final String NEVER = "0 0 3 1 1 ? 2099";
    static final String CORP = "ww-fence";
    static final String SECRET = "fence-secret-0123456789";
    static final String ROBOT = "fence-robot";

    private final List<Node> nodes = new ArrayList<>();
    private SimulatorControl sim;

    @AfterEach
    void stop() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private Node start(String instanceId, String version, String dbUrl, MutableClock clock, String env)
            throws Exception {
        Node node = TestNode.node(instanceId, dbUrl, sim)
                .with("ORGSYNC_BUILD_VERSION", version)
                .with("ORGSYNC_ENV", env)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .with("ORGSYNC_ALERT_WEBHOOK", sim.baseUrl() + "/cgi-bin/webhook/send?key=" + ROBOT)
                .start(clock);
        nodes.add(node);
        return node;
    }

    private static AdminClient admin(Node node) {
        return new AdminClient("http://127.0.0.1:" + node.port(), TOKEN, AdminClient.newLog());
    }

    private static Map<String, JsonNode> cluster(Node via) {
        Map<String, JsonNode> out = new HashMap<>();
        admin(via)
                .get("/admin/api/cluster")
                .json()
                .forEach(n -> out.put(n.path("instanceId").asText(), n));
        return out;
    }

    private static List<JsonNode> runs(Node via) {
        List<JsonNode> out = new ArrayList<>();
        admin(via).get("/admin/api/runs?corpId=" + CORP).json().forEach(out::add);
        return out;
    }

    @Test
    void anOlderBuildIsFencedUntilTheNewerOneGoes() throws Exception {
        String dbUrl = TestDatabases.mariadb("fencing");
        sim = new SimulatorControl();
        sim.createCorp(CORP, SECRET, 2, 5, true);

        // 1.4.2 runs jobs alone
        MutableClock oldClock = new MutableClock();
        Node old = start("node-old", "1.4.2", dbUrl, oldClock, "test");
        assertFalse(NodeInternals.nodeRegistry(old).fenced());
        assertFalse(old.scheduler().inStandby());
        assertEquals(
                200,
                admin(old)
                        .put(
                                "/admin/api/enterprises/" + CORP,
                                Map.of("name", "Fence Co", "secret", SECRET, "cron", NEVER))
                        .status());

        // 1.5.0 arrives; at its next heartbeat (the ticker beats every 5 s) 1.4.2 stops taking jobs
        Node newer = start("node-new", "1.5.0", dbUrl, new MutableClock(), "test");
        // Test device: the newer node stops firing too, so that any run of the job below could
        // only come from an older node. A sync due right now then waits in the database.
        newer.scheduler().stopTakingJobs();
        NodeInternals.nodeRegistry(old).tick();
        assertTrue(NodeInternals.nodeRegistry(old).fenced(), "1.4.2 is fenced once it sees 1.5.0");
        assertTrue(old.scheduler().inStandby(), "its scheduler is in standby");
        assertFalse(NodeInternals.nodeRegistry(newer).fenced());
        assertEquals(
                200, admin(newer).post("/admin/api/jobs/" + CORP + "/trigger").status());

        // 1.4.0 starts while 1.5.0 is alive: fenced before its scheduler could fire anything
        Node older = start("node-older", "1.4.0", dbUrl, oldClock, "test");
        assertTrue(NodeInternals.nodeRegistry(older).fenced(), "1.4.0 is fenced as it starts");
        assertTrue(older.scheduler().inStandby());

        Map<String, JsonNode> view = cluster(newer);
        for (String id : List.of("node-old", "node-older")) {
            assertTrue(view.get(id).path("fenced").asBoolean(), "cluster view: " + view);
            assertTrue(view.get(id).path("alive").asBoolean());
        }
        assertEquals("1.4.2", view.get("node-old").path("version").asText());
        assertFalse(view.get("node-new").path("fenced").asBoolean());
        assertEquals("1.5.0", view.get("node-new").path("version").asText());
        assertTrue(cluster(old).get("node-old").path("fenced").asBoolean(), "the fenced node's own view says so too");
        JsonNode health = admin(old).get("/health").json();
        assertFalse(health.path("scheduler").path("started").asBoolean(), "health of the fenced node: " + health);
        assertEquals("1.4.2", health.path("version").asText());

        List<String> alerts = Waiting.await(seconds(20), "two node_fenced alerts at the group robot", () -> {
            List<String> texts = new ArrayList<>();
            for (JsonNode m : sim.webhookMessages(ROBOT)) {
                texts.add(m.path("message").path("text").path("content").asText());
            }
            return texts.stream().filter(t -> t.contains("node_fenced")).count() >= 2 ? texts : null;
        });
        assertEquals(2, alerts.size(), "alerts: " + alerts);
        String oldAlert = alerts.stream()
                .filter(t -> t.contains("Node node-old "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(alerts));
        assertTrue(oldAlert.contains("1.4.2") && oldAlert.contains("1.5.0") && oldAlert.contains("node-new"), oldAlert);

        // The due sync is not taken by a fenced node. A started Quartz scheduler looks for due
        // triggers at least every idleWaitTime: two of those passes, with heartbeats, and no run.
        NodeInternals.nodeRegistry(old).tick();
        NodeInternals.nodeRegistry(older).tick();
        Waiting.sleep(QuartzTiming.twoPasses());
        assertEquals(List.of(), runs(old), "no run while the only schedulers able to fire are fenced");
        assertEquals(2, sim.webhookMessages(ROBOT).size(), "a fence is alerted once, not at every heartbeat");

        // 1.5.0 goes away. After the alive window 1.4.2 takes jobs again and runs the waiting
        // sync; 1.4.0 stays fenced, now by 1.4.2.
        newer.close();
        nodes.remove(newer);
        oldClock.advance(NodeRegistry.ALIVE_WINDOW.plusSeconds(1));
        NodeInternals.nodeRegistry(old).tick();
        NodeInternals.nodeRegistry(older).tick();
        assertFalse(NodeInternals.nodeRegistry(old).fenced());
        assertFalse(old.scheduler().inStandby());
        assertTrue(NodeInternals.nodeRegistry(older).fenced(), "1.4.0 is still older than a live node");
        JsonNode run = Waiting.await(seconds(30), "the waiting sync to run", () -> {
            List<JsonNode> runs = runs(old);
            return runs.size() == 1 && runs.get(0).path("status").asText().equals("SUCCEEDED") ? runs.get(0) : null;
        });
        assertEquals("node-old", run.path("instanceId").asText());
        view = cluster(old);
        assertFalse(view.get("node-new").path("alive").asBoolean(), "cluster view: " + view);
        assertFalse(view.get("node-old").path("fenced").asBoolean());
        assertTrue(view.get("node-older").path("fenced").asBoolean());
        assertTrue(admin(old)
                .get("/health")
                .json()
                .path("scheduler")
                .path("started")
                .asBoolean());

        // a newer build in another environment, or the same build, fences nothing
        Node otherEnv = start("node-staging", "9.0.0", dbUrl, new MutableClock(), "staging");
        Node twin = start("node-twin", "1.4.2", dbUrl, oldClock, "test");
        NodeInternals.nodeRegistry(old).tick();
        assertFalse(NodeInternals.nodeRegistry(old).fenced());
        assertFalse(NodeInternals.nodeRegistry(twin).fenced());
        assertFalse(NodeInternals.nodeRegistry(otherEnv).fenced());
    }
}
