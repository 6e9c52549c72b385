package io.orgsync.alert;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.LogCapture;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TcpProxy;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "The same alert at most once per 10 minutes across the whole cluster" (docs/guarantees.md): nodes on one
 * MariaDB database raising one alert at the same moment send one robot message between them,
 * and GET /admin/api/alerts on any node shows every raising counted and what the robot said.
 * A node that cannot write the alert table (a SELECT-only account, or the database gone)
 * de-duplicates on its own and still delivers.
 */
class ClusterAlertsTest {
    static final String TOKEN = "cluster-alerts-admin-token-0123";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closing.add(closeable);
        return closeable;
    }

    private Node start(TestNode env, MutableClock clock) throws Exception {
        return track(env.with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .with("ORGSYNC_SCHEDULER_ENABLED", "false")
                .start(clock));
    }

    private static AdminClient admin(Node node) {
        return new AdminClient("http://127.0.0.1:" + node.port(), TOKEN, AdminClient.newLog());
    }

    private static String robotKey(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code perNode} threads on every node raise {@code alert} at once; the results of raise(), all nodes together. */
    private static List<Boolean> raiseAtOnce(List<Node> nodes, int perNode, Alert alert) throws Exception {
        int threads = nodes.size() * perNode;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Boolean>> results = new ArrayList<>();
            for (Node node : nodes) {
                for (int i = 0; i < perNode; i++) {
                    results.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return node.alerts().raise(alert);
                    }));
                }
            }
            List<Boolean> out = new ArrayList<>();
            for (Future<Boolean> f : results) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long sent(List<Boolean> results) {
        return results.stream().filter(Boolean::booleanValue).count();
    }

    /** The alert's record in /admin/api/alerts once its webhook delivery has a result, or null while it is pending. */
    private static JsonNode delivered(Node node, Alert alert) {
        JsonNode list = admin(node).get("/admin/api/alerts?limit=100").json();
        for (JsonNode a : list) {
            if (a.path("type").asText().equals(alert.type())
                    && a.path("subject").asText().equals(alert.subject())) {
                return a.path("delivered").path("webhook").asText().equals("pending") ? null : a;
            }
        }
        return null;
    }

    @Test
    void threeNodesRaisingOneAlertAtOnceSendOneMessageAndCountEveryRaising() throws Exception {
        String db = TestDatabases.mariadb("alerts_cluster");
        MutableClock clock = new MutableClock();
        String robot = robotKey("cluster");
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            nodes.add(start(TestNode.node("alerts-" + i, db, sim).alertsTo(sim.baseUrl(), robot), clock));
        }
        Alert alert = new Alert("sync_failed", "ww-cluster", "The sync of ww-cluster failed: 60011 no privilege.");

        List<Boolean> first = raiseAtOnce(nodes, 4, alert);
        long senders = sent(first);
        // every node that decided to send has posted by the time its message is in: wait for all of them
        Waiting.until(
                seconds(30),
                senders + " robot message(s)",
                () -> sim.webhookMessages(robot).size() >= senders);
        assertEquals(
                1,
                sim.webhookMessages(robot).size(),
                "robot messages for one alert raised 12 times on 3 nodes at once");
        assertEquals(1, senders, "raise() results: " + first);

        JsonNode record = Waiting.await(
                seconds(30), "the webhook result in /admin/api/alerts", () -> delivered(nodes.get(2), alert));
        assertEquals(12, record.path("count").asLong(), "every raising is counted: " + record);
        assertEquals("ok", record.path("delivered").path("webhook").asText(), record.toString());
        assertEquals("not configured", record.path("delivered").path("email").asText(), record.toString());
        assertEquals(alert.message(), record.path("message").asText());
        Instant firstAt = Instant.parse(record.path("firstAt").asText());
        assertFalse(Instant.parse(record.path("lastAt").asText()).isBefore(firstAt), record.toString());

        // ten minutes on, the next raisings anywhere go out once more, and the count goes on
        clock.advance(Alerts.WINDOW.plusSeconds(1));
        List<Boolean> second = raiseAtOnce(nodes, 2, alert);
        Waiting.until(
                seconds(30),
                "the second robot message",
                () -> sim.webhookMessages(robot).size() >= 1 + sent(second));
        assertEquals(2, sim.webhookMessages(robot).size(), "robot messages after the window");
        assertEquals(1, sent(second), "raise() results: " + second);
        JsonNode again = Waiting.await(seconds(30), "the second webhook result", () -> {
            JsonNode r = delivered(nodes.get(0), alert);
            return r != null && r.path("count").asLong() == 18 ? r : null;
        });
        assertEquals("ok", again.path("delivered").path("webhook").asText());
        assertEquals(firstAt, Instant.parse(again.path("firstAt").asText()));
        assertTrue(Instant.parse(again.path("lastAt").asText()).isAfter(firstAt.plus(Alerts.WINDOW)), again.toString());
    }

    @Test
    void theListIsNewestFirstAndShowsAFailedDelivery() throws Exception {
        MutableClock clock = new MutableClock();
        String robot = robotKey("list");
        Node node = start(
                TestNode.node("alerts-list", TestDatabases.h2("alerts_list"), sim)
                        .alertsTo(sim.baseUrl(), robot),
                clock);
        Alert older = new Alert("resolve_budget", "ww-list-1", "Budget used up.");
        Alert newer = new Alert("node_fenced", "alerts-list", "Fenced.");
        assertTrue(node.alerts().raise(older));
        Waiting.await(seconds(30), "the first delivery", () -> delivered(node, older));
        sim.fault(java.util.Map.of("path", "/cgi-bin/webhook/send", "httpStatus", 500));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(node.alerts().raise(newer));
        JsonNode failed = Waiting.await(seconds(30), "the failed delivery", () -> delivered(node, newer));
        assertEquals(
                "failed: HTTP 500", failed.path("delivered").path("webhook").asText(), failed.toString());

        JsonNode list = admin(node).get("/admin/api/alerts?limit=10").json();
        assertEquals(2, list.size(), list.toString());
        assertEquals("node_fenced", list.get(0).path("type").asText(), "newest first: " + list);
        assertEquals("resolve_budget", list.get(1).path("type").asText());
        assertEquals(1, admin(node).get("/admin/api/alerts?limit=1").json().size());
        assertEquals(400, admin(node).get("/admin/api/alerts?limit=0").status());
    }

    /** Threads of one node on the embedded database: H2's row locks give the same one-winner answer. */
    @Test
    void concurrentRaisingsOnTheEmbeddedDatabaseSendOnce() throws Exception {
        String robot = robotKey("h2");
        Node node = start(
                TestNode.node("alerts-h2", TestDatabases.h2("alerts_h2"), sim).alertsTo(sim.baseUrl(), robot),
                new MutableClock());
        Alert alert = new Alert("upstream_config", "ww-h2", "40001: the secret is wrong.");
        List<Boolean> results = raiseAtOnce(List.of(node), 8, alert);
        assertEquals(1, sent(results), "raise() results: " + results);
        JsonNode record = Waiting.await(seconds(30), "the webhook result", () -> delivered(node, alert));
        assertEquals(8, record.path("count").asLong());
        assertEquals(1, sim.webhookMessages(robot).size());
    }

    @Test
    void aReadOnlyNodeDeDuplicatesOnItsOwnAndStillDelivers() throws Exception {
        String db = TestDatabases.mariadb("alerts_readonly");
        String user = "orgsync_alert_ro";
        String password = "alert-ro-password-7d2e";
        Node writer = start(TestNode.node("alerts-writer", db, sim), new MutableClock());
        Alert written = new Alert("sync_failed", "ww-written", "Written by the writer.");
        assertTrue(writer.alerts().raise(written));

        String database = db.substring(db.lastIndexOf('/') + 1);
        admin("DROP USER IF EXISTS '" + user + "'@'%'");
        admin("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
        admin("GRANT SELECT ON " + database + ".* TO '" + user + "'@'%'");
        track(() -> admin("DROP USER IF EXISTS '" + user + "'@'%'"));
        String robot = robotKey("readonly");
        try (LogCapture log = LogCapture.start()) {
            Node reader = start(
                    TestNode.node("alerts-reader", db, sim)
                            .alertsTo(sim.baseUrl(), robot)
                            .with("ORGSYNC_DB_USER", user)
                            .with("ORGSYNC_DB_PASSWORD", password)
                            .with("ORGSYNC_READ_ONLY", "true"),
                    new MutableClock());
            Alert alert = new Alert("token_invalidated", "ww-readonly", "Raised on the read-only node.");
            assertTrue(reader.alerts().raise(alert), "the first raising is sent");
            assertFalse(reader.alerts().raise(alert), "the second is suppressed by the node itself");
            Waiting.until(
                    seconds(30),
                    "the read-only node's robot message",
                    () -> sim.webhookMessages(robot).size() >= 1);
            assertEquals(1, sim.webhookMessages(robot).size());
            assertTrue(
                    log.contains("ALERT token_invalidated [ww-readonly]: Raised on the read-only node."),
                    "the alert is logged");

            // the account cannot write the table, but reads it
            JsonNode list = admin(reader).get("/admin/api/alerts").json();
            assertEquals(1, list.size(), list.toString());
            assertEquals("ww-written", list.get(0).path("subject").asText());
        }
    }

    @Test
    void withTheDatabaseGoneANodeDeDuplicatesOnItsOwnAndStillDelivers() throws Exception {
        String db = TestDatabases.mariadb("alerts_outage");
        TcpProxy proxy = track(new TcpProxy("127.0.0.1", 3306));
        MutableClock clock = new MutableClock();
        String robot = robotKey("outage");
        Node node = start(TestNode.node("alerts-outage", proxy.relay(db), sim).alertsTo(sim.baseUrl(), robot), clock);
        Alert before = new Alert("sync_failed", "ww-before", "Before the outage.");
        assertTrue(node.alerts().raise(before));
        Waiting.await(seconds(30), "the alert recorded", () -> delivered(node, before));

        try (LogCapture log = LogCapture.start()) {
            proxy.cut();
            Alert during = new Alert("sync_failed", "ww-during", "The database is unreachable.");
            assertTrue(node.alerts().raise(during), "sent although the alert table cannot be reached");
            assertFalse(node.alerts().raise(during), "a repeat is suppressed by the node itself");
            Alert other = new Alert("sync_failed", "ww-other", "Another key in the outage.");
            assertTrue(node.alerts().raise(other));
            Waiting.until(
                    seconds(30),
                    "three robot messages",
                    () -> sim.webhookMessages(robot).size() >= 3);
            assertEquals(3, sim.webhookMessages(robot).size());
            assertTrue(log.contains("is de-duplicated by this node alone"), "the fallback is logged");
        }

        proxy.restore();
        // past the node's wait before it asks the database again (30 s), well inside the 10-minute window
        clock.advance(Duration.ofMinutes(1));
        Alert after = new Alert("sync_failed", "ww-after", "After the outage.");
        Waiting.until(
                seconds(30),
                "the node's database back",
                () -> admin(node).get("/health").status() == 200);
        assertTrue(node.alerts().raise(after));
        JsonNode record = Waiting.await(seconds(30), "the alert table used again", () -> delivered(node, after));
        assertEquals(1, record.path("count").asLong());
        assertNull(
                delivered(node, new Alert("sync_failed", "ww-during", "")),
                "raised while the table was unreachable: not recorded");
        assertNotNull(delivered(node, before));
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        TestDatabases.MYSQL_SERVER, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
