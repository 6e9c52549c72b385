package io.orgsync.cluster.it;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.testing.cluster.MariaDbServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When DatabaseRestartIT runs, skips or fails: where the database tests are required (CI=true, or
 * ORGSYNC_TEST_REQUIRE_MYSQL=true as .ci/run sets it) a machine that cannot restart the server is
 * a failure, never a quiet skip; elsewhere the test is opt-in.
 */
class DatabaseRestartGateTest {
    private static final String NO_SERVER = "this machine has no /usr/sbin/mariadbd";

    @Test
    void whereTheDatabaseTestsAreRequiredACannotIsAFailure() {
        for (Map<String, String> env :
                java.util.List.of(Map.of("ORGSYNC_TEST_REQUIRE_MYSQL", "true"), Map.of("CI", "true"))) {
            IllegalStateException failed = assertThrows(
                    IllegalStateException.class,
                    () -> MariaDbServer.whyNotRestart(null, env, () -> NO_SERVER),
                    env.toString());
            assertTrue(failed.getMessage().contains(NO_SERVER), failed.getMessage());
            assertThrows(
                    IllegalStateException.class,
                    () -> MariaDbServer.whyNotRestart("true", env, () -> NO_SERVER),
                    "asked for with the property: " + env);
            assertNull(MariaDbServer.whyNotRestart(null, env, () -> null), "required and possible: it runs");
        }
    }

    @Test
    void elsewhereItIsOptInAndAnExplicitNoIsASkip() {
        assertTrue(MariaDbServer.whyNotRestart(null, Map.of(), () -> null).contains("opt-in"));
        assertTrue(
                MariaDbServer.whyNotRestart("true", Map.of(), () -> NO_SERVER).contains(NO_SERVER));
        assertNull(MariaDbServer.whyNotRestart("true", Map.of(), () -> null));
        assertTrue(MariaDbServer.whyNotRestart("false", Map.of("CI", "true"), () -> null)
                .contains("turned off"));
    }
}
