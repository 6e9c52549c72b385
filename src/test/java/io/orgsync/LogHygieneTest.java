package io.orgsync;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import io.orgsync.alert.Alert;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.sync.SyncProgress;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.LogCapture;
import io.orgsync.testing.LogScan;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * "No stack trace, SQL or secret ever reaches a log line" (docs/http-api.md), tried where it is hardest: each
 * test drives a node into a failure (database errors on H2 and MariaDB, wrong secrets, a failing
 * robot with its key in the URL, rejected tokens, a bad webhook setting), records every log line
 * of this JVM meanwhile (through logback-test.xml's capture appender, rendered by the production
 * pattern), and then fails listing each line that carries a statement, a secret the test used, a
 * token the simulator issued or a robot key. Lines of our own code are checked as written too,
 * before the pattern's last-resort redaction, so that a log call of ours cannot lean on it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogHygieneTest {
    static final String ADMIN_TOKEN = "hygiene-admin-token-5b7e1c04";
    static final String API_TOKEN = "hygiene-api-token-c3d9a2e71f";
    static final String SECRET_KEY = "hygiene-sealing-key-90af31c2";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Set<String> secrets = new LinkedHashSet<>(List.of(ADMIN_TOKEN, API_TOKEN, SECRET_KEY));
    private final List<String> answers = AdminClient.newLog();
    private final List<String> printed = new ArrayList<>();
    private LogCapture log;

    @BeforeEach
    void record() {
        log = LogCapture.start();
    }

    /** Stops the nodes (their shutdown lines count too), then lists every offending line. */
    @AfterEach
    void scan() throws Exception {
        try {
            // a call a test left held goes on: the nodes need not wait for it to close
            sim.releaseHeldCalls();
            for (int i = closing.size() - 1; i >= 0; i--) {
                closing.get(i).close();
            }
        } finally {
            log.close();
        }
        List<String> offending = new ArrayList<>();
        for (LogCapture.Line line : log.lines()) {
            check("log line", line.rendered(), offending);
            if (line.ours()) {
                check("log call of " + line.logger() + " as written", line.written(), offending);
            }
        }
        for (String text : printed) {
            check("start-up error", text, offending);
        }
        for (String body : answers) {
            check("admin API answer", body, offending);
        }
        if (!offending.isEmpty()) {
            fail(offending.size() + " offending line(s) in " + log.lines().size() + " log lines:\n"
                    + String.join("\n", offending));
        }
    }

    private void check(String where, String text, List<String> offending) {
        LogScan.check(where, text, secrets, offending);
    }

    private Node start(String name, String dbUrl, Map<String, Object> settings) throws Exception {
        TestNode env = TestNode.node(name, dbUrl, sim)
                .with("ORGSYNC_ADMIN_TOKEN", ADMIN_TOKEN)
                .with("ORGSYNC_SECRET_KEY", SECRET_KEY)
                .with("ORGSYNC_SCHEDULER_ENABLED", "false");
        settings.forEach(env::with);
        Node node = env.start();
        closing.add(node);
        return node;
    }

    private AdminClient admin(Node node) {
        return new AdminClient("http://127.0.0.1:" + node.http.port(), ADMIN_TOKEN, answers);
    }

    private String corp(String what, String dialect, int members) {
        String corp = "ww-hyg-" + what + "-" + dialect;
        String secret = "hygiene-secret-" + what + "-" + UUID.randomUUID();
        secrets.add(secret);
        sim.createCorp(corp, secret, 2, members, true);
        return corp + " " + secret;
    }

    private void register(Node node, String corp, String secret) {
        assertEquals(
                200,
                admin(node)
                        .put("/admin/api/enterprises/" + corp, Map.of("secret", secret, "cron", TestNode.NEVER))
                        .status());
    }

    /** Every token the database holds now: the simulator issued them, no line may carry one. */
    private void rememberTokens(String dbUrl) throws SQLException {
        try (Connection c = connect(dbUrl);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT access_token FROM upstream_token WHERE access_token IS NOT NULL")) {
            while (rs.next()) {
                secrets.add(rs.getString(1));
            }
        }
    }

    private static Connection connect(String dbUrl) throws SQLException {
        return DriverManager.getConnection(dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl));
    }

    private static void execute(String dbUrl, String sql) throws SQLException {
        try (Connection c = connect(dbUrl);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aUniqueViolationInASyncsApply(String dialect) throws Exception {
        String db = TestDatabases.url(dialect, "hygiene_dup");
        String[] corp = corp("dup", dialect, 12).split(" ");
        Node node = start("hygiene-dup", db, Map.of());
        register(node, corp[0], corp[1]);
        // twelve members in two departments: the apply's inserts must collide on this index
        execute(db, "CREATE UNIQUE INDEX hygiene_dup ON member (corp_id, main_department)");
        Run run = node.runner.run(corp[0], SyncProgress.NONE);
        assertEquals(RunStatus.FAILED, run.status(), run.error());
        assertTrue(run.error().contains("SQL state 23"), run.error());
        rememberTokens(db);
        assertEquals(200, admin(node).get("/admin/api/runs?corpId=" + corp[0]).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void tablesDroppedUnderARunningNode(String dialect) throws Exception {
        String db = TestDatabases.url(dialect, "hygiene_drop");
        Node node = start("hygiene-drop", db, Map.of());
        execute(db, "DROP TABLE cluster_node");
        // a heartbeat now rather than at the ticker's next (every 5 s): the same failure, logged the same way
        node.nodeRegistry.tick();
        Waiting.until(seconds(30), "the heartbeat to fail", () -> log.contains("Cluster heartbeat failed"));
        execute(db, "DROP TABLE sync_run");
        AdminClient.Reply runs = admin(node).get("/admin/api/runs");
        assertEquals(503, runs.status(), runs.toString());
    }

    /** The run's table goes while it fetches: recording its end fails, and the Quartz job logs why. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aRunWhoseTableVanishesWhileItFetches(String dialect) throws Exception {
        String db = TestDatabases.url(dialect, "hygiene_run");
        String[] corp = corp("run", dialect, 6).split(" ");
        Node node = start("hygiene-run", db, Map.of("ORGSYNC_SCHEDULER_ENABLED", "true"));
        register(node, corp[0], corp[1]);
        // its member call held until the table is gone, then let go
        sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", corp[0], "latencyMs", 60_000, "count", 1));
        assertEquals(
                200, admin(node).post("/admin/api/jobs/" + corp[0] + "/trigger").status());
        Waiting.until(seconds(30), "the run to start", () -> {
            var list = admin(node).get("/admin/api/runs?corpId=" + corp[0]).json();
            return list.size() == 1 && list.get(0).path("status").asText().equals("RUNNING");
        });
        rememberTokens(db);
        execute(db, "DROP TABLE sync_run");
        sim.awaitAndReleaseHeldCall(seconds(30), "the run's held member call");
        Waiting.until(
                seconds(60), "the job to end", () -> log.contains("Sync job of " + corp[0] + " ended with an error"));
    }

    /** The e-mail sink queues a Quartz job; a table of Quartz's missing fails it inside the driver. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void anAlertMailThatTheJobStoreRefuses(String dialect) throws Exception {
        String db = TestDatabases.url(dialect, "hygiene_mail");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Node node = start(
                "hygiene-mail",
                db,
                Map.of(
                        "ORGSYNC_ALERT_EMAIL",
                        "ops@example.com",
                        "ORGSYNC_SMTP_HOST",
                        "127.0.0.1",
                        "ORGSYNC_SMTP_PORT",
                        closed));
        execute(db, "ALTER TABLE QRTZ_SIMPLE_TRIGGERS RENAME TO QRTZ_SIMPLE_TRIGGERS_GONE");
        assertTrue(node.alerts.raise(new Alert("sync_failed", "ww-hyg-mail-" + dialect, "A sync failed.")));
        Waiting.until(seconds(30), "the e-mail sink to fail", () -> log.contains("could not be delivered by email"));
        execute(db, "ALTER TABLE QRTZ_SIMPLE_TRIGGERS_GONE RENAME TO QRTZ_SIMPLE_TRIGGERS");
    }

    /** A wrong secret (40001) fails the sync and raises two alerts, which a failing and an unreachable robot cannot take. */
    @Test
    void aWrongSecretAlertedToRobotsThatFail() throws Exception {
        String[] corp = corp("secret", "h2", 6).split(" ");
        String wrong = "hygiene-wrong-secret-" + UUID.randomUUID();
        secrets.add(wrong);
        String failingKey = "hygiene-robot-key-" + UUID.randomUUID();
        String unreachableKey = "hygiene-robot-key-" + UUID.randomUUID();
        secrets.add(failingKey);
        secrets.add(unreachableKey);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        sim.fault(Map.of("path", "/cgi-bin/webhook/send", "httpStatus", 500));
        String db = TestDatabases.h2("hygiene_secret");
        Node failing = start(
                "hygiene-secret",
                db,
                Map.of("ORGSYNC_ALERT_WEBHOOK", sim.baseUrl() + "/cgi-bin/webhook/send?key=" + failingKey));
        register(failing, corp[0], wrong);
        assertEquals(
                RunStatus.FAILED, failing.runner.run(corp[0], SyncProgress.NONE).status());
        Waiting.until(seconds(30), "both alerts' failed deliveries", () -> undelivered() >= 2);

        Node unreachable = start(
                "hygiene-unreachable",
                TestDatabases.h2("hygiene_unreachable"),
                Map.of(
                        "ORGSYNC_ALERT_WEBHOOK",
                        "http://127.0.0.1:" + closed + "/cgi-bin/webhook/send?key=" + unreachableKey));
        unreachable.alerts.raise(new Alert("upstream_config", corp[0], "40001: check the secret."));
        Waiting.until(seconds(30), "the unreachable robot", () -> undelivered() >= 3);
        assertTrue(log.contains("could not be delivered by webhook: HTTP 500"), "the failing robot's answer is logged");
        assertTrue(
                log.contains("could not be delivered by webhook: connection refused"),
                "the unreachable robot is logged");
    }

    private long undelivered() {
        return log.lines().stream()
                .filter(l -> l.rendered().contains("could not be delivered by webhook"))
                .count();
    }

    /** A token invalidated upstream is rejected (42001/40014), replaced and alerted; wrong bearer tokens are refused. */
    @Test
    void rejectedTokens() throws Exception {
        String[] corp = corp("token", "h2", 6).split(" ");
        String db = TestDatabases.h2("hygiene_token");
        Node node = start("hygiene-token", db, Map.of("ORGSYNC_API_TOKEN", API_TOKEN));
        register(node, corp[0], corp[1]);
        assertEquals(
                RunStatus.SUCCEEDED, node.runner.run(corp[0], SyncProgress.NONE).status());
        rememberTokens(db);
        sim.invalidateTokens(corp[0]);
        assertEquals(
                RunStatus.SUCCEEDED, node.runner.run(corp[0], SyncProgress.NONE).status());
        rememberTokens(db);
        Waiting.until(seconds(30), "the token_invalidated alert", () -> log.contains("ALERT token_invalidated"));
        assertEquals(
                401, admin(node).withToken(API_TOKEN).get("/admin/api/jobs").status());
        // the admin token opens the read routes (the console's), not a code: refused here
        HttpURLConnection lookup = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + node.http.port() + "/api/v1/miniapps/wx-any/wxacode?scene=a")
                        .toURL()
                        .openConnection();
        lookup.setRequestProperty("Authorization", "Bearer " + ADMIN_TOKEN);
        assertEquals(401, lookup.getResponseCode());
    }

    /** What `orgsync migrate` prints for a robot URL it cannot use: the variable and what is wrong, never the key. */
    @Test
    void aBadWebhookSettingAtStartUp() {
        Map<String, String> bad = Map.of(
                "ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=",
                        "is not an http(s) URL with a host (host qyapi.weixin.qq.com, path /cgi-bin/webhook/send)",
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=", "is not a URL",
                "http:///cgi-bin/webhook/send?key=", "is not an http(s) URL with a host");
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        List<Integer> exits = new ArrayList<>();
        PrintStream original = System.err;
        try {
            for (Map.Entry<String, String> b : bad.entrySet()) {
                String key = "hygiene-robot-key-" + UUID.randomUUID();
                secrets.add(key);
                String value = b.getKey() + key + (b.getValue().equals("is not a URL") ? " extra" : "");
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                System.setProperty("orgsync.alert.webhook", value);
                int exit;
                try {
                    exit = Main.run(List.of("migrate"));
                } finally {
                    System.clearProperty("orgsync.alert.webhook");
                    System.setErr(original);
                }
                String text = err.toString(StandardCharsets.UTF_8);
                printed.add(text);
                exits.add(exit);
                expected.put(text, "ORGSYNC_ALERT_WEBHOOK: " + b.getValue());
            }
        } finally {
            System.setErr(original);
        }
        // every value tried before the first assertion: the scan after the test sees them all
        assertEquals(List.of(2, 2, 2), exits, String.join("\n", printed));
        expected.forEach((text, wanted) -> assertTrue(text.contains(wanted), text));
    }

    /** The production configuration, text and JSON: what a library logs is redacted too (the capture above renders text). */
    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void aLibrarysLineIsRedactedInBothFormats(String format) throws Exception {
        String key = "hygiene-robot-key-" + UUID.randomUUID();
        secrets.add(key);
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("orgsync.log.format", format);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogHygieneTest.class.getResource("/logback.xml"));
            SQLException driver = new SQLException(
                    "Unique index or primary key violation: \"PUBLIC.PRIMARY_KEY ON PUBLIC.QRTZ_LOCKS\";"
                            + " SQL statement:\nINSERT INTO QRTZ_LOCKS VALUES (?, ?) [23505-232]",
                    "23505",
                    23505);
            context.getLogger("org.quartz.impl.jdbcjobstore.JobStoreTX")
                    .error(
                            "ClusterManager: Error managing cluster: " + driver.getMessage(),
                            new IllegalStateException("Failure obtaining db row lock: " + driver.getMessage(), driver));
            context.getLogger("org.apache.hc.client5")
                    .warn("POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key + " failed");
        } finally {
            System.setOut(original);
            context.stop();
        }
        String written = out.toString(StandardCharsets.UTF_8);
        assertTrue(written.contains("Error managing cluster") && written.contains("webhook/send?key=***"), written);
        printed.add(written);
    }

    /** Everything this JVM logged so far, as the file appender of logback-test.xml wrote it. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theWholeTestLogOfThisJvmCarriesNoStatement() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Appender<?> appender =
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("file");
        Assumptions.assumeTrue(
                appender instanceof FileAppender<?>, "logback-test.xml's file appender is not configured");
        Path file = Path.of(((FileAppender<?>) appender).getFile());
        List<String> offending = new ArrayList<>();
        int lines = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lines++;
            // the secrets of other tests are theirs to know: here statements and URL credentials, which no line may
            // have
            check(file.getFileName() + ":" + lines, line, offending);
        }
        assertTrue(lines > 0, file + " is empty");
        assertEquals(List.of(), offending, offending.size() + " offending line(s) in " + file);
    }
}
