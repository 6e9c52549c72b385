package io.orgsync.alert;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.orgsync.Node;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Alerts as an operator receives them: at the simulator's group robot, at most once per key per
 * ten minutes; never in the way of a sync when the robot fails; by e-mail to a real SMTP server
 * (GreenMail), sent by the Quartz mail job on a node that runs jobs.
 */
class AlertDeliveryTest {
    static final String TOKEN = "alerts-admin-token-0123456789";
    static final String NEVER = "0 0 3 1 1 ? 2099";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        sim.clearFaults();
    }

    private Node start(TestNode env, MutableClock clock) throws Exception {
        Node node = env.with("ORGSYNC_ADMIN_TOKEN", TOKEN).start(clock);
        nodes.add(node);
        return node;
    }

    private static String robot(String key) {
        return sim.baseUrl() + "/cgi-bin/webhook/send?key=" + key;
    }

    private static List<String> robotTexts(String key) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : sim.webhookMessages(key)) {
            out.add(m.path("message").path("text").path("content").asText());
        }
        return out;
    }

    private static AdminClient admin(Node node) {
        return new AdminClient("http://127.0.0.1:" + node.port(), TOKEN, AdminClient.newLog());
    }

    /** A sample's value from the node's /metrics, 0 when absent. */
    private static double metric(Node node, String name, String label) {
        String text = admin(node).get("/metrics").body();
        Matcher m = Pattern.compile(
                        "(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label) + "[^}]*} ([0-9.Ee+-]+)$")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void theSameAlertReachesTheRobotOncePerTenMinutes() throws Exception {
        MutableClock clock = new MutableClock();
        Node node = start(
                TestNode.node("robot-node", TestDatabases.h2("alerts_robot"), sim)
                        .with("ORGSYNC_SCHEDULER_ENABLED", "false")
                        .with("ORGSYNC_ALERT_WEBHOOK", robot("once")),
                clock);

        assertTrue(node.alerts().raise(new Alert("sync_failed", "ww-one", "first failure")));
        assertFalse(
                node.alerts().raise(new Alert("sync_failed", "ww-one", "second failure, same key")),
                "same key within the window");
        clock.advance(Duration.ofMinutes(9));
        assertFalse(node.alerts().raise(new Alert("sync_failed", "ww-one", "third failure, 9 minutes on")));
        // another subject, another type: other keys, delivered
        assertTrue(node.alerts().raise(new Alert("sync_failed", "ww-two", "another enterprise")));
        assertTrue(node.alerts().raise(new Alert("sync_refused", "ww-one", "another type")));
        // deliveries go out in order on one thread: once the last is in, a duplicate would be too
        List<String> texts = Waiting.await(seconds(20), "three robot messages", () -> {
            List<String> t = robotTexts("once");
            return t.size() >= 3 ? t : null;
        });
        assertEquals(3, texts.size(), "messages: " + texts);
        assertTrue(
                texts.get(0).startsWith("[orgsync test/robot-node] sync_failed")
                        && texts.get(0).contains("ww-one")
                        && texts.get(0).contains("first failure"),
                texts.get(0));
        assertTrue(texts.get(1).contains("ww-two"));
        assertTrue(texts.get(2).contains("sync_refused"));

        // past the window the same key goes out again
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertTrue(node.alerts().raise(new Alert("sync_failed", "ww-one", "still failing, 10 minutes on")));
        Waiting.until(
                seconds(20), "the fourth message", () -> robotTexts("once").size() == 4);
        assertTrue(robotTexts("once").get(3).contains("still failing, 10 minutes on"));
        assertEquals(2, metric(node, "orgsync_alerts_suppressed_total", "type=\"sync_failed\""), 0.0);
        assertEquals(3, metric(node, "orgsync_alerts_total", "type=\"sync_failed\""), 0.0);
    }

    /** A robot that answers HTTP 500, or a URL where nothing listens: the sync that raised the alert still succeeds. */
    @ParameterizedTest
    @ValueSource(strings = {"failing", "unreachable"})
    void aBrokenRobotNeverBreaksASync(String how) throws Exception {
        String corp = "ww-robot-" + how;
        String secret = "robot-secret-" + how + "-0123456789";
        sim.createCorp(corp, secret, 2, 6, true);
        String webhook;
        if (how.equals("failing")) {
            webhook = robot("broken");
            sim.fault(Map.of("path", "/cgi-bin/webhook/send", "httpStatus", 500));
        } else {
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            webhook = "http://127.0.0.1:" + closedPort + "/cgi-bin/webhook/send?key=nowhere";
        }
        Node node = start(
                TestNode.node("robot-" + how, TestDatabases.h2("alerts_" + how), sim)
                        .with("ORGSYNC_ALERT_WEBHOOK", webhook),
                new MutableClock());
        AdminClient admin = admin(node);
        assertEquals(
                200,
                admin.put("/admin/api/enterprises/" + corp, Map.of("secret", secret, "cron", NEVER))
                        .status());
        assertEquals("SUCCEEDED", triggerAndWait(admin, corp, 1).path("status").asText());

        // every live token of the enterprise stops working: the next sync fetches a new one,
        // succeeds, and raises token_invalidated, whose delivery fails
        sim.invalidateTokens(corp);
        JsonNode run = triggerAndWait(admin, corp, 2);
        assertEquals("SUCCEEDED", run.path("status").asText(), "the sync with a broken robot: " + run);
        assertEquals(1, metric(node, "orgsync_alerts_total", "type=\"token_invalidated\""), 0.0);
        Waiting.until(
                seconds(30),
                "the failed delivery to be counted",
                () -> metric(node, "orgsync_alert_delivery_failures_total", "sink=\"webhook\"") >= 1);
        assertEquals(List.of(), robotTexts("broken"));
        assertEquals(200, admin.get("/health").status(), "the node is fine");
    }

    private static JsonNode triggerAndWait(AdminClient admin, String corp, int n) {
        assertEquals(200, admin.post("/admin/api/jobs/" + corp + "/trigger").status());
        return Waiting.await(seconds(30), "run #" + n + " of " + corp, () -> {
            JsonNode runs = admin.get("/admin/api/runs?corpId=" + corp).json();
            return runs.size() >= n && !runs.get(0).path("status").asText().equals("RUNNING") ? runs.get(0) : null;
        });
    }

    @Test
    void alertsArriveByEmailSentByTheQuartzJobOfARunningScheduler() throws Exception {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        try {
            String dbUrl = TestDatabases.mariadb("alert_mail");
            TestNode mailEnv = TestNode.node("mailer", dbUrl, sim);
            TestNode apiEnv = TestNode.node("raiser", dbUrl, sim).with("ORGSYNC_SCHEDULER_ENABLED", "false");
            for (TestNode env : List.of(mailEnv, apiEnv)) {
                env.with("ORGSYNC_ALERT_EMAIL", "ops@example.com, oncall@example.com")
                        .with("ORGSYNC_SMTP_HOST", "127.0.0.1")
                        .with("ORGSYNC_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()))
                        .with("ORGSYNC_SMTP_FROM", "orgsync@example.com");
            }
            Node mailer = start(mailEnv, new MutableClock());
            Node raiser = start(apiEnv, new MutableClock());
            // pause-all stops syncs, not alert e-mails
            assertEquals(
                    200, admin(raiser).post("/admin/api/scheduler/pause-all").status());

            // raised on the node that runs no jobs: the mail job waits in the database until
            // the node with a running scheduler sends it
            assertTrue(raiser.alerts()
                    .raise(new Alert("sync_failed", "ww-mail", "The sync of ww-mail failed: 60011 no privilege.")));
            MimeMessage[] mails = mails(smtp, 2);
            assertEquals(2, mails.length);
            MimeMessage mail = mails[0];
            assertEquals("[orgsync] sync_failed: ww-mail", mail.getSubject());
            assertEquals("orgsync@example.com", mail.getFrom()[0].toString());
            assertEquals(
                    List.of("ops@example.com", "oncall@example.com"),
                    Arrays.stream(mail.getRecipients(Message.RecipientType.TO))
                            .map(Address::toString)
                            .toList());
            String body = String.valueOf(mail.getContent());
            assertTrue(body.contains("[orgsync test/raiser] sync_failed") && body.contains("60011 no privilege"), body);

            // the same key again within ten minutes: no second mail; another key: one more
            assertFalse(raiser.alerts().raise(new Alert("sync_failed", "ww-mail", "again")));
            assertTrue(mailer.alerts().raise(new Alert("node_fenced", "mailer", "Node mailer is fenced.")));
            MimeMessage[] all = mails(smtp, 4);
            assertEquals(4, all.length, "4 = 2 alerts x 2 recipients");
            assertEquals("[orgsync] node_fenced: mailer", all[3].getSubject());

            // sent mail jobs do not pile up in the job store
            Waiting.until(seconds(20), "no alert-mail job left in Quartz's tables", () -> mailJobsLeft(dbUrl) == 0);
            assertEquals(
                    200, admin(raiser).post("/admin/api/scheduler/resume-all").status());
        } finally {
            smtp.stop();
        }
    }

    /** GreenMail's own wait counts SMTP transactions, not recipients: poll the mailboxes instead. */
    private static MimeMessage[] mails(GreenMail smtp, int atLeast) {
        return Waiting.await(seconds(30), atLeast + " mails at the SMTP server", () -> {
            MimeMessage[] m = smtp.getReceivedMessages();
            return m.length >= atLeast ? m : null;
        });
    }

    private static int mailJobsLeft(String dbUrl) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl));
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT COUNT(*) FROM QRTZ_JOB_DETAILS WHERE JOB_GROUP = 'orgsync-alert-mail'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
