package io.orgsync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.callback.EventRetention;
import io.orgsync.org.ChangeLog;
import io.orgsync.resolve.ResolveRetention;
import io.orgsync.schedule.Retention;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import io.orgsync.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API of subscriptions refuses what it cannot use with what to fix and writes nothing
 * then; the secret is answered once when generated, never shown otherwise. The pull feed's
 * errors: unknown enterprise, bad parameters, and 410 once the retention deleted what {@code after}
 * asks for, which also turns a subscription that still needed those changes failing.
 */
class FeedAdminTest {
    private static final String WECOM_SECRET = "feed-admin-secret-0123456789";
    private static final String CORP = "ww-feed-admin";
    private static final MutableClock clock = new MutableClock();
    private static SimulatorControl sim;
    private static ApiNode node;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorControl();
        // a retry horizon longer than the retention: the retention is what stops the lagging subscription here
        node = FeedFixture.node(
                "feed-admin", TestDatabases.h2("feed_admin"), sim, clock, Map.of("ORGSYNC_FEED_RETRY_HOURS", "720"));
        sim.createCorp(CORP, WECOM_SECRET, 3, 10, true);
        node.enterprise(CORP, WECOM_SECRET);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        sim.close();
    }

    @Test
    void badSubscriptionsAreRefusedWithWhatToFixAndNothingIsWritten() {
        AdminClient admin = FeedFixture.admin(node);
        String url = "http://127.0.0.1:9/hook";
        refused(admin, "Bad_Name", Map.of("url", url), "name");
        refused(admin, "ok", Map.of(), "url is required");
        refused(admin, "ok", Map.of("url", "ftp://example.com/x"), "http");
        refused(admin, "ok", Map.of("url", "not a url"), "url");
        refused(admin, "ok", Map.of("url", url, "secret", "abc"), "whsec_");
        refused(admin, "ok", Map.of("url", url, "secret", "whsec_c2hvcnQ="), "24 to 64 bytes");
        refused(admin, "ok", Map.of("url", url, "foo", 1), "'foo'");
        refused(admin, "ok", Map.of("url", url, "corpIds", List.of("ww-nope")), "ww-nope");
        refused(admin, "ok", Map.of("url", url, "corpIds", List.of()), "corpIds");
        refused(admin, "ok", Map.of("url", url, "types", List.of("member.moved")), "io.orgsync.member.created");
        refused(admin, "ok", Map.of("url", url, "startAt", "yesterday"), "startAt");
        refused(admin, "ok", Map.of("url", url, "enabled", "yes"), "enabled");
        refused(admin, "ok", "{not json", "JSON object");
        assertEquals(
                0, admin.get("/admin/api/subscriptions").json().path("items").size());

        AdminClient.Reply created = admin.put("/admin/api/subscriptions/gen", Map.of("url", url));
        assertEquals(201, created.status(), created.toString());
        String secret = created.json().path("secret").asText();
        assertTrue(secret.startsWith("whsec_") && secret.length() > 30, created.toString());
        assertEquals("active", created.json().path("state").asText());
        assertTrue(created.json().path("corpIds").isNull());
        assertTrue(created.json().path("types").isNull());
        assertFalse(admin.get("/admin/api/subscriptions/gen").body().contains(secret.substring(6)));
        assertFalse(admin.get("/admin/api/subscriptions").body().contains(secret.substring(6)));
        refused(admin, "gen", Map.of("url", url, "startAt", "now"), "replay");
        AdminClient.Reply updated =
                admin.put("/admin/api/subscriptions/gen", Map.of("url", url + "2", "enabled", false));
        assertEquals(200, updated.status(), updated.toString());
        assertFalse(updated.json().has("secret"), "no secret on an update: " + updated);
        assertEquals("disabled", updated.json().path("state").asText());
        assertEquals(401, admin.withToken(null).get("/admin/api/subscriptions").status());
        assertEquals(
                404,
                admin.send("POST", "/admin/api/subscriptions/none/replay", Map.of("corpId", CORP, "after", 0))
                        .status());
        assertEquals(204, admin.delete("/admin/api/subscriptions/gen").status());
        assertEquals(404, admin.get("/admin/api/subscriptions/gen").status());
        assertEquals(404, admin.delete("/admin/api/subscriptions/gen").status());
    }

    @Test
    void thePullFeedAnswers410PastTheRetentionAndALaggingSubscriptionFails() throws Exception {
        assertEquals(404, node.get("/api/v1/corps/ww-unknown/changes").status());
        assertEquals(400, node.get("/api/v1/corps/" + CORP + "/changes?limit=0").status());
        assertEquals(
                400, node.get("/api/v1/corps/" + CORP + "/changes?limit=1001").status());
        assertEquals(
                400, node.get("/api/v1/corps/" + CORP + "/changes?after=-1").status());
        try (WebhookReceiver receiver = new WebhookReceiver(FeedFixture.SECRET, false)) {
            receiver.status.set(503);
            FeedFixture.subscribe(node, "lagging", Map.of("url", receiver.url(), "secret", FeedFixture.SECRET), 201);
            sync();
            long latest = new ChangeLog(node.node.dataSource()).latest(CORP);
            assertEquals(latest, FeedFixture.pull(node, CORP, 0, 1000).size());

            clock.advance(Duration.ofDays(8));
            retention().run();
            sim.send("PATCH", "/__sim/corps/" + CORP + "/departments/2", Map.of("name", "After Retention"));
            sync();
            ApiNode.Response gone = node.get("/api/v1/corps/" + CORP + "/changes?after=0");
            assertEquals(410, gone.status(), gone.toString());
            assertEquals("gone", gone.code());
            assertTrue(gone.text().contains("after=" + (latest + 1)), gone.toString());
            List<JsonNode> rest = FeedFixture.pull(node, CORP, latest, 1000);
            assertEquals(1, rest.size());
            assertEquals(
                    String.valueOf(latest + 1), rest.get(0).path("sequence").asText());

            clock.advance(Duration.ofMinutes(11)); // past any backoff: the deliverer looks again
            JsonNode failing = Waiting.await(Duration.ofSeconds(30), "failing", () -> {
                JsonNode v = FeedFixture.view(node, "lagging");
                return v.path("state").asText().equals("failing") ? v : null;
            });
            assertTrue(
                    failing.path("lastError").asText().contains("ORGSYNC_CHANGE_RETENTION_DAYS"), failing.toString());
            FeedFixture.admin(node).delete("/admin/api/subscriptions/lagging");
        }
    }

    @Test
    void aReadOnlyNodeServesThePullFeedAndTheListButRefusesWrites() throws Exception {
        sync();
        try (ApiNode ro = FeedFixture.node(
                "feed-admin-ro", node.node.settings().dbUrl(), sim, clock, Map.of("ORGSYNC_READ_ONLY", "true"))) {
            // from what the log still holds (the other test of the class may have run the retention)
            long from = new ChangeLog(node.node.dataSource()).oldest(CORP).orElseThrow() - 1;
            String path = "/api/v1/corps/" + CORP + "/changes?limit=5&after=" + from;
            ApiNode.Response page = ro.get(path);
            assertEquals(200, page.status(), page.toString());
            assertTrue(page.json().path("items").size() >= 1, page.toString());
            assertEquals(node.get(path).json(), page.json());
            assertEquals(
                    200, FeedFixture.admin(ro).get("/admin/api/subscriptions").status());
            AdminClient.Reply put =
                    FeedFixture.admin(ro).put("/admin/api/subscriptions/ro", Map.of("url", "http://h/x"));
            assertEquals(503, put.status(), put.toString());
            assertEquals("read_only", put.errorCode());
        }
    }

    private static Retention retention() {
        var ds = node.node.dataSource();
        return new Retention(
                NodeInternals.runs(node.node),
                new ResolveRetention(ds),
                new EventRetention(ds),
                node.node.clock(),
                node.node.settings().runRetention(),
                new ChangeLog(ds),
                node.node.settings().changeRetention());
    }

    private static void refused(AdminClient admin, String name, Object body, String says) {
        AdminClient.Reply r = admin.put("/admin/api/subscriptions/" + name, body);
        assertEquals(400, r.status(), r.toString());
        assertEquals("invalid_request", r.errorCode(), r.toString());
        assertTrue(r.errorMessage().contains(says), "'" + says + "' in: " + r.errorMessage());
    }

    private static void sync() throws Exception {
        var run = node.sync(CORP);
        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
    }
}
