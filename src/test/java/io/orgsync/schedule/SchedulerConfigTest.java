package io.orgsync.schedule;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scheduler's config refuses a wiring mistake before Quartz touches the shared tables, naming the setting. */
class SchedulerConfigTest {
    private static final String URL = "jdbc:h2:mem:config";

    @Test
    void eachWrongValueIsRefusedWithTheSettingToFix() {
        assertProblem(
                "ORGSYNC_INSTANCE_ID",
                () -> new SchedulerConfig("orgsync-test", " ", 2, true, URL, "u", "p", Duration.ZERO, null));
        assertProblem(
                "ORGSYNC_ENV", () -> new SchedulerConfig("", "node-a", 2, true, URL, "u", "p", Duration.ZERO, null));
        assertProblem(
                "ORGSYNC_SYNC_THREADS",
                () -> new SchedulerConfig("orgsync-test", "node-a", 0, true, URL, "u", "p", Duration.ZERO, null));
        assertProblem(
                "ORGSYNC_DB_URL",
                () -> new SchedulerConfig("orgsync-test", "node-a", 2, true, null, "u", "p", Duration.ZERO, null));
        assertProblem(
                "ORGSYNC_SHUTDOWN_GRACE_SECONDS",
                () -> new SchedulerConfig(
                        "orgsync-test", "node-a", 2, true, URL, "u", "p", Duration.ofSeconds(-1), null));
        assertProblem("ORGSYNC_SMTP_PORT", () -> new SchedulerConfig.Smtp("mail.example", 0, "orgsync@example.com"));
        assertProblem("ORGSYNC_SMTP_HOST", () -> new SchedulerConfig.Smtp(null, 25, "orgsync@example.com"));
    }

    @Test
    void theDatabasePasswordNeverShows() {
        String shown = new SchedulerConfig(
                        "orgsync-test",
                        "node-a",
                        2,
                        true,
                        URL,
                        "u",
                        "pass-7f3e",
                        Duration.ofSeconds(30),
                        new SchedulerConfig.Smtp("mail.example", 2525, "orgsync@example.com"))
                .toString();
        assertFalse(shown.contains("pass-7f3e"), shown);
        assertTrue(shown.contains("node-a") && shown.contains("mail.example"), shown);
    }

    private static void assertProblem(String setting, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(setting), e.getMessage());
    }
}
