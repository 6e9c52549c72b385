package io.orgsync.admin;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * A cron that parses but never fires again (its year is past), over the real HTTP server: a PUT
 * with it is refused 400 naming the field before anything is stored, for a new enterprise and for
 * an update; and a writing node that meets such a row at start-up (written by an older build that
 * did store it) starts anyway, shows the enterprise's problem in the admin lists and alerts.
 */
class UnschedulableCronTest {
    private static final String TOKEN = "admin-token-0123456789abcdef";
    private static final String PAST = "0 0 3 * * ? 2020";
    private static final String NEVER = TestNode.NEVER;

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aCronThatNeverFiresAgainIsRefusedAndAStoredOneDoesNotStopTheNode(String dialect) throws Exception {
        String url = TestDatabases.url(dialect, "past_cron");
        String fresh = "ww-past-new-" + dialect;
        String kept = "ww-past-kept-" + dialect;
        String old = "ww-past-old-" + dialect;
        String secret = "secret-past-0a1b2c3d";
        String robot = "past-cron-" + dialect;
        try (Node node = node(url, robot)) {
            AdminClient admin = admin(node);
            Reply created = admin.put("/admin/api/enterprises/" + fresh, Map.of("secret", secret, "cron", PAST));
            System.out.println(dialect + ": PUT new with " + PAST + " -> " + created);
            refusedNamingCron(created);
            assertFalse(admin.get("/admin/api/enterprises").body().contains(fresh), "the refused row was stored");

            assertEquals(
                    200,
                    admin.put("/admin/api/enterprises/" + kept, Map.of("secret", secret, "cron", NEVER))
                            .status());
            Reply updated = admin.put("/admin/api/enterprises/" + kept, Map.of("cron", PAST));
            System.out.println(dialect + ": PUT update with " + PAST + " -> " + updated);
            refusedNamingCron(updated);
            assertEquals(
                    NEVER,
                    byCorp(admin.get("/admin/api/enterprises").json(), kept)
                            .path("cron")
                            .asText());
        }

        // what an older build stored: a new row with such a cron, and an update of one whose job has a trigger
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(url), TestDatabases.password(url))) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO enterprise (corp_id, env, name, secret, cron, enabled, created_at, updated_at) "
                            + "VALUES (?, 'test', 'Old Co', ?, ?, TRUE, 1, 1)")) {
                ps.setString(1, old);
                ps.setString(2, new SecretCipher(null).seal(secret));
                ps.setString(3, PAST);
                assertEquals(1, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE enterprise SET cron = ? WHERE corp_id = ?")) {
                ps.setString(1, PAST);
                ps.setString(2, kept);
                assertEquals(1, ps.executeUpdate());
            }
        }

        try (Node restarted = node(url, robot)) {
            AdminClient admin = admin(restarted);
            JsonNode listed = admin.get("/admin/api/enterprises").json();
            JsonNode jobs = admin.get("/admin/api/jobs").json();
            System.out.println(dialect + ": after the restart " + listed);
            for (String corp : new String[] {old, kept}) {
                assertTrue(byCorp(listed, corp).path("problem").asText("").contains(PAST), listed.toString());
                assertTrue(byCorp(jobs, corp).path("problem").asText("").contains(PAST), jobs.toString());
                assertTrue(byCorp(jobs, corp).path("nextFireTime").isNull(), jobs.toString());
            }
            JsonNode alert = Waiting.await(seconds(10), "an alert about " + old, () -> {
                for (JsonNode m : sim.webhookMessages(robot)) {
                    if (m.toString().contains(old) && m.toString().contains(PAST)) {
                        return m;
                    }
                }
                return null;
            });
            assertNotNull(alert);

            // disabling needs no new cron; enabling again does
            Reply disabled = admin.put("/admin/api/enterprises/" + kept, Map.of("enabled", false));
            assertEquals(200, disabled.status(), disabled.toString());
            assertTrue(disabled.json().path("problem").isNull(), disabled.toString());
            refusedNamingCron(admin.put("/admin/api/enterprises/" + kept, Map.of("enabled", true)));

            // mended by a PUT with a cron that fires
            Reply mended = admin.put("/admin/api/enterprises/" + old, Map.of("cron", NEVER));
            assertEquals(200, mended.status(), mended.toString());
            assertTrue(mended.json().path("problem").isNull(), mended.toString());
            assertFalse(
                    byCorp(admin.get("/admin/api/jobs").json(), old)
                            .path("nextFireTime")
                            .isNull(),
                    "the mended enterprise is scheduled");
        }
    }

    private static void refusedNamingCron(Reply r) {
        assertEquals(400, r.status(), r.toString());
        assertEquals("invalid_request", r.errorCode(), r.toString());
        assertTrue(r.errorMessage().startsWith("cron "), r.toString());
        assertTrue(r.errorMessage().contains("never fires again"), r.toString());
    }

    private static Node node(String url, String robot) throws Exception {
        return TestNode.on(url, sim.baseUrl())
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .alertsTo(sim.baseUrl(), robot)
                .start();
    }

    private static AdminClient admin(Node node) {
        return new AdminClient("http://127.0.0.1:" + node.port(), TOKEN, AdminClient.newLog());
    }

    private static JsonNode byCorp(JsonNode list, String corpId) {
        for (JsonNode e : list) {
            if (corpId.equals(e.path("corpId").asText())) {
                return e;
            }
        }
        throw new AssertionError(corpId + " missing from " + list);
    }
}
