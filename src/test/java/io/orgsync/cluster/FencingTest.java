package io.orgsync.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.NodeEnv;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private Node start(String instanceId, String version, String dbUrl, MutableClock clock, String env) throws Exception {
        Node node = new NodeEnv(instanceId, dbUrl, sim)
                .set("ORGSYNC_BUILD_VERSION", version)
                .set("ORGSYNC_ENV", env)
                .set("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .set("ORGSYNC_ALERT_WEBHOOK", sim.baseUrl() + "/cgi-bin/webhook/send?key=" + ROBOT)
                .start(clock);
        nodes.add(node);
        return node;
    }

    private static AdminClient admin(Node node) {
        return new AdminClient("http://127.0.0.1:" + node.http.port(), TOKEN, AdminClient.newLog());
    }

    private static Map<String, JsonNode> cluster(Node via) {
        Map<String, JsonNode> out = new HashMap<>();
        admin(via).get("/admin/api/cluster").json().forEach(n -> out.put(n.path("instanceId").asText(), n));
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

        MutableClock newClock = new MutableClock();
        Node newer = start("node-new", "1.5.0", dbUrl, newClock, "test");
        assertEquals(200, admin(newer).put("/admin/api/enterprises/" + CORP,
                Map.of("name", "Fence Co", "secret", SECRET, "cron", NEVER)).status());
        // Test device: the newer node stops firing, so that any run of the job below could only
        // come from the older node. A sync due right now waits in the database.
        newer.scheduling.standby();
        assertEquals(200, admin(newer).post("/admin/api/jobs/" + CORP + "/trigger").status());

        // the older build starts while the newer one is alive: fenced from its first moment
        MutableClock oldClock = new MutableClock();
        Node older = start("node-old", "1.4.2", dbUrl, oldClock, "test");
        assertTrue(older.membership.fenced(), "the older build is fenced as it starts");
        assertTrue(older.scheduling.inStandby(), "its scheduler is in standby");
        assertFalse(newer.membership.fenced());

        Map<String, JsonNode> view = cluster(newer);
        assertTrue(view.get("node-old").path("fenced").asBoolean(), "cluster view: " + view);
        assertEquals("1.4.2", view.get("node-old").path("version").asText());
        assertTrue(view.get("node-old").path("alive").asBoolean());
        assertFalse(view.get("node-new").path("fenced").asBoolean());
        assertEquals("1.5.0", view.get("node-new").path("version").asText());
        assertTrue(cluster(older).get("node-old").path("fenced").asBoolean(), "the fenced node's own view says so too");
        JsonNode health = admin(older).get("/health").json();
        assertFalse(health.path("scheduler").path("started").asBoolean(), "health of the fenced node: " + health);
        assertEquals("1.4.2", health.path("version").asText());

        JsonNode alert = Waiting.await(seconds(20), "the node_fenced alert at the group robot", () -> {
            for (JsonNode m : sim.webhookMessages(ROBOT)) {
                String text = m.path("message").path("text").path("content").asText();
                if (text.contains("node_fenced")) {
                    return m;
                }
            }
            return null;
        });
        String text = alert.path("message").path("text").path("content").asText();
        assertTrue(text.contains("node-old") && text.contains("1.4.2") && text.contains("1.5.0") && text.contains("node-new"), text);

        // The due sync is not taken by the fenced node. A started Quartz scheduler looks for due
        // triggers at least every idleWaitTime (5 s): one of those passes, with a heartbeat, and no run.
        older.membership.tick();
        Thread.sleep(6_000);
        assertEquals(List.of(), runs(older), "no run while the only scheduler able to fire is fenced");
        assertEquals(1, sim.webhookMessages(ROBOT).size(), "the fence is alerted once, not at every heartbeat");

        // The newer node goes away. After the alive window the older node takes jobs again and
        // runs the sync that was waiting.
        newer.close();
        nodes.remove(newer);
        oldClock.advance(Membership.ALIVE_WINDOW.plusSeconds(1));
        older.membership.tick();
        assertFalse(older.membership.fenced());
        assertFalse(older.scheduling.inStandby());
        JsonNode run = Waiting.await(seconds(30), "the waiting sync to run on the older node", () -> {
            List<JsonNode> runs = runs(older);
            return runs.size() == 1 && runs.get(0).path("status").asText().equals("SUCCEEDED") ? runs.get(0) : null;
        });
        assertEquals("node-old", run.path("instanceId").asText());
        view = cluster(older);
        assertFalse(view.get("node-new").path("alive").asBoolean(), "cluster view: " + view);
        assertFalse(view.get("node-old").path("fenced").asBoolean());
        assertTrue(admin(older).get("/health").json().path("scheduler").path("started").asBoolean());

        // a newer build in another environment, or the same build, fences nothing
        Node otherEnv = start("node-staging", "9.0.0", dbUrl, new MutableClock(), "staging");
        Node twin = start("node-twin", "1.4.2", dbUrl, oldClock, "test");
        older.membership.tick();
        twin.membership.tick();
        assertFalse(older.membership.fenced());
        assertFalse(twin.membership.fenced());
        assertFalse(otherEnv.membership.fenced());
    }
}
