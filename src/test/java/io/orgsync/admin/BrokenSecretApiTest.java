package io.orgsync.admin;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.store.SecretCipher;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.AdminClient.Reply;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An enterprise whose stored secret was sealed under another ORGSYNC_SECRET_KEY (a node started
 * with the wrong key, or a key rotated without re-sealing), over the real HTTP server: the admin
 * lists still answer and show what is wrong with it, its sync records a FAILED run that says
 * what to fix and raises sync_failed, and PUTting the secret again (or just disabling it) works.
 */
class BrokenSecretApiTest {
    private static final String TOKEN = "admin-token-0123456789abcdef";
    private static final String KEY = "the-node-key-0123456789";
    private static final String NEVER = "0 0 3 1 1 ? 2099";
    private static final String FIX =
            "cannot be decrypted with this ORGSYNC_SECRET_KEY; set the key it was sealed with, or PUT the secret again";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aSecretSealedUnderAnotherKeyIsListedRunFailedAndAlerted(String dialect) throws Exception {
        String url = TestDatabases.url(dialect, "broken_secret");
        String broken = "ww-broken-" + dialect;
        String fine = "ww-fine-" + dialect;
        String brokenSecret = "secret-" + broken + "-0a1b2c3d";
        sim.createCorp(broken, brokenSecret, 3, 20, true);
        sim.createCorp(fine, "secret-" + fine + "-4e5f6a7b", 3, 20, true);
        String robot = "broken-" + dialect;
        try (Node node = TestNode.node("keyed-" + dialect, url, sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .with("ORGSYNC_SECRET_KEY", KEY)
                .with("ORGSYNC_DEPT_RATE", 1000)
                .alertsTo(sim.baseUrl(), robot)
                .start()) {
            AdminClient admin = new AdminClient("http://127.0.0.1:" + node.port(), TOKEN, AdminClient.newLog());
            ok(admin.put(
                    "/admin/api/enterprises/" + broken,
                    Map.of("name", "Broken Co", "secret", brokenSecret, "cron", NEVER)));
            ok(admin.put(
                    "/admin/api/enterprises/" + fine,
                    Map.of("name", "Fine Co", "secret", "secret-" + fine + "-4e5f6a7b", "cron", NEVER)));
            // what a node started with another key writes
            sealUnder(url, broken, "another-key-fedcba9876543210", brokenSecret);

            Reply listed = admin.get("/admin/api/enterprises");
            Reply jobs = admin.get("/admin/api/jobs");
            Reply trigger = admin.post("/admin/api/jobs/" + broken + "/trigger");
            System.out.println(dialect + ": GET /admin/api/enterprises -> " + listed.status()
                    + ", GET /admin/api/jobs -> " + jobs.status() + ", POST trigger -> " + trigger.status());
            assertEquals(200, listed.status(), listed.toString());
            assertTrue(problem(listed.json(), broken).contains(FIX), listed.toString());
            assertTrue(byCorp(listed.json(), fine).path("problem").isNull(), listed.toString());
            assertFalse(listed.body().contains(brokenSecret), "the secret came back");

            assertEquals(200, jobs.status(), jobs.toString());
            assertEquals(2, jobs.json().size(), jobs.toString());
            assertTrue(problem(jobs.json(), broken).contains(FIX), jobs.toString());

            assertEquals(200, trigger.status(), trigger.toString());
            JsonNode failed = finishedRun(admin, broken, 1);
            System.out.println(dialect + ": the run -> " + failed);
            assertEquals("FAILED", failed.path("status").asText(), failed.toString());
            assertTrue(failed.path("error").asText().contains(FIX), failed.toString());
            JsonNode alert = Waiting.await(seconds(10), "a sync_failed robot message about " + broken, () -> {
                for (JsonNode m : sim.webhookMessages(robot)) {
                    if (m.toString().contains("sync_failed") && m.toString().contains(broken)) {
                        return m;
                    }
                }
                return null;
            });
            assertTrue(alert.toString().contains("PUT the secret again"), alert.toString());
            assertFalse(alert.toString().contains(brokenSecret));

            // it can be disabled without knowing the secret, and mended by sending it again
            Reply disabled = admin.put("/admin/api/enterprises/" + broken, Map.of("enabled", false));
            assertEquals(200, disabled.status(), disabled.toString());
            assertTrue(disabled.json().path("problem").asText().contains(FIX), disabled.toString());
            Reply mended =
                    admin.put("/admin/api/enterprises/" + broken, Map.of("secret", brokenSecret, "enabled", true));
            assertEquals(200, mended.status(), mended.toString());
            assertTrue(mended.json().path("problem").isNull(), mended.toString());
            ok(admin.post("/admin/api/jobs/" + broken + "/trigger"));
            JsonNode succeeded = finishedRun(admin, broken, 2);
            assertEquals("SUCCEEDED", succeeded.path("status").asText(), succeeded.toString());
        }
    }

    private static void sealUnder(String url, String corpId, String otherKey, String secret) throws Exception {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(url), TestDatabases.password(url));
                PreparedStatement ps = c.prepareStatement("UPDATE enterprise SET secret = ? WHERE corp_id = ?")) {
            ps.setString(1, new SecretCipher(otherKey).seal(secret));
            ps.setString(2, corpId);
            assertEquals(1, ps.executeUpdate());
        }
    }

    /** The newest run once the enterprise has {@code count} finished ones. */
    private static JsonNode finishedRun(AdminClient admin, String corpId, int count) {
        return Waiting.await(seconds(30), count + " finished runs of " + corpId, () -> {
            JsonNode runs = admin.get("/admin/api/runs?corpId=" + corpId).json();
            return runs.size() == count && !runs.path(0).path("finishedAt").isNull() ? runs.path(0) : null;
        });
    }

    private static JsonNode byCorp(JsonNode list, String corpId) {
        for (JsonNode e : list) {
            if (corpId.equals(e.path("corpId").asText())) {
                return e;
            }
        }
        throw new AssertionError(corpId + " missing from " + list);
    }

    private static String problem(JsonNode list, String corpId) {
        return byCorp(list, corpId).path("problem").asText("");
    }

    private static void ok(Reply r) {
        assertEquals(200, r.status(), r.toString());
    }
}
