package io.orgsync.enterprise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.store.Database;
import io.orgsync.store.SecretCipher;
import io.orgsync.testing.TestDatabases;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Enterprise secrets are sealed at rest when a key is set, and validated on the way in. */
class SecretStorageTest {
    private static final String SECRET = "the-corp-secret-0123456789";

    /** Records what the service asks of the scheduler instead of scheduling. */
    private static final class RecordedJobs implements EnterpriseJobs {
        final List<String> calls = new ArrayList<>();

        public void scheduleOrUpdate(Enterprise e) {
            calls.add("schedule " + e.corpId() + " " + e.cron() + " " + e.enabled());
        }

        public void remove(String corpId) {
            calls.add("remove " + corpId);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void secretsAreEncryptedWithAKeyAndReadBack(String dialect) throws Exception {
        String url = TestDatabases.url(dialect, "secret_storage");
        try (Database db =
                Database.open(url, TestDatabases.user(url), TestDatabases.password(url), false, "secrets", 2)) {
            db.migrate();
            RecordedJobs jobs = new RecordedJobs();
            EnterpriseService sealed = new EnterpriseService(
                    db.dataSource(),
                    new SecretCipher("key-0123456789abcdef"),
                    jobs,
                    Clock.systemUTC(),
                    new EnterpriseService.Config("prod"));
            sealed.put("ww-sealed", new EnterpriseChange("Sealed Co", SECRET, "0 0 * * * ?", true, 7L));
            String stored = rawSecret(db, "ww-sealed");
            assertTrue(stored.startsWith("enc:v1:"), stored);
            assertFalse(stored.contains(SECRET));
            assertEquals(SECRET, sealed.find("ww-sealed").secret());

            // an update without a secret keeps it; the job follows the enterprise
            sealed.put("ww-sealed", new EnterpriseChange(null, null, "0 30 * * * ?", false, null));
            assertEquals(SECRET, sealed.find("ww-sealed").secret());
            assertEquals(
                    List.of("schedule ww-sealed 0 0 * * * ? true", "schedule ww-sealed 0 30 * * * ? false"),
                    jobs.calls);

            EnterpriseService wrongKey = new EnterpriseService(
                    db.dataSource(),
                    new SecretCipher("another-key-0123456789"),
                    jobs,
                    Clock.systemUTC(),
                    new EnterpriseService.Config("prod"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> wrongKey.find("ww-sealed"));
            assertTrue(e.getMessage().contains("ORGSYNC_SECRET_KEY"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET));

            EnterpriseService otherEnv = new EnterpriseService(
                    db.dataSource(),
                    new SecretCipher("key-0123456789abcdef"),
                    jobs,
                    Clock.systemUTC(),
                    new EnterpriseService.Config("staging"));
            RefusedException conflict = assertThrows(
                    RefusedException.class,
                    () -> otherEnv.put("ww-sealed", new EnterpriseChange("x", null, null, null, null)));
            assertEquals(Refusal.CONFLICT, conflict.reason());

            sealed.delete("ww-sealed");
            assertEquals("remove ww-sealed", jobs.calls.get(jobs.calls.size() - 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void badInputIsRefusedWithTheFix(String dialect) throws Exception {
        String url = TestDatabases.url(dialect, "enterprise_input");
        try (Database db =
                Database.open(url, TestDatabases.user(url), TestDatabases.password(url), false, "input", 2)) {
            db.migrate();
            RecordedJobs jobs = new RecordedJobs();
            EnterpriseService service = new EnterpriseService(
                    db.dataSource(),
                    new SecretCipher(null),
                    jobs,
                    Clock.systemUTC(),
                    new EnterpriseService.Config("prod"));
            assertEquals(
                    Refusal.INVALID_REQUEST,
                    assertThrows(
                                    RefusedException.class,
                                    () -> service.put(
                                            "ww-1", new EnterpriseChange("n", SECRET, "every hour", true, null)))
                            .reason());
            assertEquals(
                    Refusal.INVALID_REQUEST,
                    assertThrows(
                                    RefusedException.class,
                                    () -> service.put(
                                            "bad id!", new EnterpriseChange("n", SECRET, "0 0 * * * ?", true, null)))
                            .reason());
            assertEquals(
                    Refusal.INVALID_REQUEST,
                    assertThrows(
                                    RefusedException.class,
                                    () -> service.put(
                                            "ww-1", new EnterpriseChange("n", null, "0 0 * * * ?", true, null)))
                            .reason(),
                    "a new enterprise needs a secret");
            assertEquals(
                    Refusal.INVALID_REQUEST,
                    assertThrows(
                                    RefusedException.class,
                                    () -> service.put(
                                            "ww-1", new EnterpriseChange("n", "has space", "0 0 * * * ?", true, null)))
                            .reason());
            assertTrue(jobs.calls.isEmpty(), "nothing scheduled for refused input");
            service.put("ww-1", new EnterpriseChange("n", SECRET, "0 0 * * * ?", true, null));
            assertTrue(
                    rawSecret(db, "ww-1").startsWith("plain:"),
                    "without a key the secret is stored plain (and start-up warns)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aContactSyncSecretIsSealedAloneOrBesideTheAppSecret(String dialect) throws Exception {
        String contact = "the-contact-sync-secret-0123456789";
        String url = TestDatabases.url(dialect, "secret_storage");
        try (Database db =
                Database.open(url, TestDatabases.user(url), TestDatabases.password(url), false, "secrets", 2)) {
            db.migrate();
            EnterpriseService service = new EnterpriseService(
                    db.dataSource(),
                    new SecretCipher("key-0123456789abcdef"),
                    new RecordedJobs(),
                    Clock.systemUTC(),
                    new EnterpriseService.Config("prod"));
            RefusedException spaced = assertThrows(
                    RefusedException.class,
                    () -> service.put(
                            "ww-contact-only",
                            new EnterpriseChange("n", null, "0 0 * * * ?", true, null, "has space")));
            assertTrue(spaced.getMessage().startsWith("contactSecret "), spaced.getMessage());

            service.put("ww-contact-only", new EnterpriseChange("n", null, "0 0 * * * ?", true, null, contact));
            assertEquals(null, rawSecret(db, "ww-contact-only"), "no app secret");
            String stored = raw(db, "contact_secret", "ww-contact-only");
            assertTrue(stored.startsWith("enc:v1:") && !stored.contains(contact), stored);
            Enterprise e = service.find("ww-contact-only");
            assertEquals(contact, e.contactSecret());
            assertEquals(null, e.secret());
            assertFalse(e.toString().contains(contact));

            // the app's secret joins it; an update without secrets keeps both
            service.put("ww-contact-only", new EnterpriseChange(null, SECRET, null, null, null));
            service.put("ww-contact-only", new EnterpriseChange("renamed", null, null, null, null));
            e = service.find("ww-contact-only");
            assertEquals(List.of(SECRET, contact), List.of(e.secret(), e.contactSecret()));
            EnterpriseListing listed = service.listing("ww-contact-only");
            assertTrue(listed.hasSecret() && listed.hasContactSecret() && listed.access() == null);
            service.delete("ww-contact-only");
        }
    }

    private static String rawSecret(Database db, String corpId) throws Exception {
        return raw(db, "secret", corpId);
    }

    private static String raw(Database db, String column, String corpId) throws Exception {
        try (var c = db.connection();
                var ps = c.prepareStatement("SELECT " + column + " FROM enterprise WHERE corp_id = ?")) {
            ps.setString(1, corpId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
