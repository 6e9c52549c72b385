package io.orgsync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.Waiting;
import io.orgsync.testing.WebhookReceiver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A node with the admin API on, and the few admin and pull calls the feed's tests make. */
final class FeedFixture {
    static final String ADMIN_TOKEN = "feed-admin-token-0123456789";
    /** A fixed Standard Webhooks key, so that the receiver can verify (32 bytes). */
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private FeedFixture() {}

    static ApiNode node(String name, String dbUrl, SimulatorControl sim, Clock clock, Map<String, String> extra)
            throws Exception {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("ORGSYNC_ADMIN_TOKEN", ADMIN_TOKEN);
        return ApiNode.start(name, dbUrl, sim, settings, clock);
    }

    static AdminClient admin(ApiNode node) {
        return new AdminClient(node.base.toString(), ADMIN_TOKEN, AdminClient.newLog());
    }

    /** Creates or changes a subscription; fails the test unless the answer is {@code status}. */
    static JsonNode subscribe(ApiNode node, String name, Map<String, Object> body, int status) {
        AdminClient.Reply r = admin(node).put("/admin/api/subscriptions/" + name, body);
        assertEquals(status, r.status(), r.toString());
        return r.json();
    }

    /** Every event of the pull feed after {@code after}, page by page of {@code limit}. */
    static List<JsonNode> pull(ApiNode node, String corpId, long after, int limit) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            ApiNode.Response r = node.get("/api/v1/corps/" + corpId + "/changes?after=" + after + "&limit=" + limit);
            assertEquals(200, r.status(), r.toString());
            JsonNode page = r.json();
            page.path("items").forEach(out::add);
            long next = Long.parseLong(page.path("next").asText());
            if (page.path("items").isEmpty()) {
                assertEquals(after, next, "an empty page's next is the after it was asked with");
                return out;
            }
            after = next;
        }
    }

    static JsonNode view(ApiNode node, String name) {
        AdminClient.Reply r = admin(node).get("/admin/api/subscriptions/" + name);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    /** Waits until the receiver accepted {@code ids} (each at least once). */
    static void awaitIds(WebhookReceiver receiver, java.util.Collection<String> ids, Duration limit) {
        Waiting.until(
                limit,
                ids.size() + " events at the receiver",
                () -> receiver.acceptedIds().keySet().containsAll(ids));
    }
}
