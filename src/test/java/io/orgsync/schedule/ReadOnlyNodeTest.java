package io.orgsync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.member.Mobile;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.sync.SyncProgress;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * ORGSYNC_READ_ONLY=true with a MariaDB account granted SELECT only: the node starts (no
 * migration, no scheduler), answers lookups from the data a writing node synced, and refuses
 * writes.
 */
class ReadOnlyNodeTest {
    private static final String SECRET = "readonly-secret-0123456789";
    private static final String CORP = "ww-readonly";
    private static final String USER = "orgsync_sync_ro";
    private static final String PASSWORD = "ro-password-5f1c9a";
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void aSelectOnlyAccountRunsAReadOnlyNodeThatAnswersLookups() throws Exception {
        String url = TestDatabases.mariadb("sched_readonly");
        SimulatorControl sim = track(new SimulatorControl());
        sim.createCorp(CORP, SECRET, 5, 30, true);
        Node writer = track(TestNode.on(url, sim.baseUrl())
                .with("ORGSYNC_INSTANCE_ID", "writer")
                .start());
        writer.enterprises().put(CORP, new EnterpriseChange("Read only", SECRET, TestNode.NEVER, true, null));
        Run run = writer.sync(CORP, SyncProgress.NONE);
        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
        JsonNode someone = sim.export(CORP).path("members").get(0);
        String mobile = Mobile.normalise(someone.path("mobile").asText()).orElseThrow();
        int migrations = count(url, "SELECT COUNT(*) FROM orgsync_schema_history");

        String database = url.substring(url.lastIndexOf('/') + 1);
        admin("DROP USER IF EXISTS '" + USER + "'@'%'");
        admin("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
        admin("GRANT SELECT ON " + database + ".* TO '" + USER + "'@'%'");
        track(() -> admin("DROP USER IF EXISTS '" + USER + "'@'%'"));

        Node reader = track(TestNode.on(url, sim.baseUrl())
                .with("ORGSYNC_DB_USER", USER)
                .with("ORGSYNC_DB_PASSWORD", PASSWORD)
                .with("ORGSYNC_READ_ONLY", true)
                .with("ORGSYNC_SCHEDULER_ENABLED", true)
                .with("ORGSYNC_INSTANCE_ID", "reader")
                .start());

        // read-only implies no scheduler: one that fires nothing and refuses every job operation
        assertFalse(reader.scheduler().started(), "read-only implies no scheduler");
        assertTrue(reader.scheduler().inStandby());
        for (Executable operation : List.<Executable>of(
                () -> reader.scheduler().jobs().trigger(CORP, true),
                () -> reader.scheduler().jobs().pause(CORP),
                () -> reader.scheduler().jobs().view(CORP),
                () -> reader.scheduler().jobs().pauseAll(),
                () -> reader.scheduler().triggerMaintenance(),
                () -> reader.scheduler().enterpriseJobs().remove(CORP))) {
            RefusedException refused = assertThrows(RefusedException.class, operation);
            assertEquals(Refusal.READ_ONLY, refused.reason());
            assertEquals("this read-only node has no scheduler; ask a writing node for jobs", refused.getMessage());
        }
        assertEquals(
                "NORMAL", writer.scheduler().jobs().view(CORP).state(), "the job is the writing node's to control");
        assertEquals(
                migrations,
                count(url, "SELECT COUNT(*) FROM orgsync_schema_history"),
                "no migration from a read-only node");
        assertEquals(
                someone.path("userid").asText(),
                NodeInternals.members(reader).byMobile(mobile, CORP).get(0).userid());

        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + reader.port());
        HttpResponse<String> lookup = http.send(
                HttpRequest.newBuilder(base.resolve("/api/v1/members/by-mobile/" + mobile))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, lookup.statusCode(), lookup.body());
        JsonNode body = new ObjectMapper().readTree(lookup.body());
        assertEquals(
                someone.path("userid").asText(),
                body.path("members").get(0).path("userid").asText());
        HttpResponse<String> resolve = http.send(
                HttpRequest.newBuilder(base.resolve("/api/v1/members/resolve"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"corpId\":\"" + CORP + "\",\"mobile\":\"13900000001\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, resolve.statusCode(), resolve.body());
        assertEquals(
                "read_only",
                new ObjectMapper()
                        .readTree(resolve.body())
                        .path("error")
                        .path("code")
                        .asText());
        // and the account itself cannot write, whatever the code tried
        assertThrows(
                SQLException.class,
                () -> reader.enterprises()
                        .put("ww-other", new EnterpriseChange("x", SECRET, TestNode.NEVER, true, null)));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closing.add(closeable);
        return closeable;
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        TestDatabases.MYSQL_SERVER, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
