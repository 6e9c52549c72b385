package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A read-only node (ORGSYNC_READ_ONLY=true) on the database another node synced: on MariaDB it
 * runs with a SELECT-only account, as docs/http-api.md says it should. It answers lookups as the writer
 * does, and refuses every writing request with 503 read_only before any upstream call.
 */
class ReadOnlyNodeTest {
    private static final String CORP = "ww-readonly";
    private static final String SECRET = "readonly-secret-0123456789";
    private static final String RO_USER = "orgsync_t_readonly";
    private static final String RO_PASSWORD = "readonly-test-password";
    private static SimulatorControl sim;
    private static JsonNode truth;
    private boolean accountCreated;

    @BeforeAll
    static void start() {
        sim = new SimulatorControl();
        sim.createCorp(CORP, SECRET, 3, 20, true);
        truth = sim.export(CORP);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void dropTheAccount() throws Exception {
        if (accountCreated) {
            accountCreated = false;
            try (Connection c = DriverManager.getConnection(
                            TestDatabases.MYSQL_SERVER, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                    Statement s = c.createStatement()) {
                s.execute("DROP USER IF EXISTS '" + RO_USER + "'@'%'");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void answersLookupsAndRefusesWrites(String dialect) throws Exception {
        String url = TestDatabases.url(dialect, "readonly_node");
        try (ApiNode writer = ApiNode.start("writer-" + dialect, url, sim, Map.of())) {
            writer.enterprise(CORP, SECRET);
            assertEquals(RunStatus.SUCCEEDED, writer.sync(CORP).status());

            Map<String, String> settings = new HashMap<>(Map.of("ORGSYNC_READ_ONLY", "true"));
            if (dialect.equals("mariadb")) {
                settings.putAll(selectOnlyAccount(url));
            }
            try (ApiNode reader = ApiNode.start("reader-" + dialect, url, sim, settings)) {
                sim.resetStats();
                String mobile =
                        truth.path("members").get(0).path("mobile").asText().replaceAll("[\\s-]", "");
                String path = "/api/v1/members/by-mobile/" + mobile.replace("+", "%2B");
                ApiNode.Response mine = reader.get(path);
                assertEquals(200, mine.status(), mine::toString);
                assertArrayEquals(writer.get(path).body(), mine.body(), "the same answer as the writing node");
                assertError(reader.get("/api/v1/members/by-mobile/19999999999"), 404, "not_found", SECRET);

                assertError(reader.resolve(CORP, "19999999999"), 503, "read_only", SECRET);
                assertError(reader.resolve(CORP, mobile), 503, "read_only", SECRET);
                assertError(reader.resolve("ww-nobody", "not a number"), 503, "read_only", SECRET);
                assertError(
                        reader.postJson("/admin/api/jobs/" + CORP + "/trigger", Map.of()), 503, "read_only", SECRET);
                assertEquals(0, sim.stats().path("totalCalls").asLong(), "refused before any upstream call");

                // a code needs the shared token row, which a SELECT-only account cannot write
                sim.createApp("wx-ro-" + dialect, SECRET);
                writer.app("wx-ro-" + dialect, SECRET, "stable");
                assertError(
                        reader.get("/api/v1/miniapps/wx-ro-" + dialect + "/wxacode?scene=a"), 503, "read_only", SECRET);
                assertEquals(
                        200,
                        writer.get("/api/v1/miniapps/wx-ro-" + dialect + "/wxacode?scene=a")
                                .status());

                ApiNode.Response health = reader.get("/health");
                assertEquals(200, health.status(), health::toString);
                assertEquals("UP", health.json().path("status").asText());
                assertFalse(
                        health.json().path("scheduler").path("enabled").asBoolean(), "a read-only node runs no jobs");
                assertFalse(health.json().path("scheduler").path("started").asBoolean());
            }
        }
    }

    /** A MariaDB account that may only SELECT in the test database, as a read-only node's should. */
    private Map<String, String> selectOnlyAccount(String url) throws Exception {
        String database = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(
                        TestDatabases.MYSQL_SERVER, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP USER IF EXISTS '" + RO_USER + "'@'%'");
            s.execute("CREATE USER '" + RO_USER + "'@'%' IDENTIFIED BY '" + RO_PASSWORD + "'");
            s.execute("GRANT SELECT ON " + database + ".* TO '" + RO_USER + "'@'%'");
        }
        accountCreated = true;
        return Map.of("ORGSYNC_DB_USER", RO_USER, "ORGSYNC_DB_PASSWORD", RO_PASSWORD);
    }
}
