package io.orgsync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import io.orgsync.testing.WebhookReceiver;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pushes to a real receiver over HTTP: every kind of change a sync, a contact event and a
 * resolve write arrives once, signed (checked with the Standard Webhooks library), in sequence
 * order per enterprise, with the same bytes the pull feed pages show; filters and replay.
 */
class FeedDeliveryTest {
    private static final String WECOM_SECRET = "feed-delivery-secret-0123456789";
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static SimulatorControl sim;
    private static ApiNode node;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorControl();
        node = FeedFixture.node("feed-a", TestDatabases.h2("feed_delivery"), sim, Clock.systemUTC(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        sim.close();
    }

    @Test
    void everyKindOfChangeFromASyncAnEventAndAResolveArrivesOnceSignedAndInOrder() throws Exception {
        String corp = "ww-feed-kinds";
        sim.createCorp(corp, WECOM_SECRET, 4, 20, true);
        node.enterprise(corp, WECOM_SECRET);
        try (WebhookReceiver receiver = new WebhookReceiver(FeedFixture.SECRET, true)) {
            JsonNode created = FeedFixture.subscribe(
                    node, "kinds", Map.of("url", receiver.url(), "secret", FeedFixture.SECRET), 201);
            assertFalse(created.has("secret"), "a given secret is never answered: " + created);
            assertEquals("active", created.path("state").asText());

            sync(corp); // department.created, member.created
            JsonNode export = sim.export(corp);
            List<JsonNode> members = list(export.path("members")).stream()
                    .filter(m ->
                            m.path("status").asInt() == 1 && m.path("appSees").asBoolean(true))
                    .toList();
            String renamed = members.get(0).path("userid").asText();
            String leaver = members.get(1).path("userid").asText();
            String disabled = members.get(2).path("userid").asText();
            sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + renamed, Map.of("name", "Renamed Feed"));
            sim.send("DELETE", "/__sim/corps/" + corp + "/members/" + leaver, null);
            JsonNode dept =
                    sim.post("/__sim/corps/" + corp + "/departments", Map.of("name", "Feed Dept", "parentid", 1));
            int deptId = dept.path("id").asInt();
            sync(corp); // member.updated, member.departed, department.created
            sim.send("PATCH", "/__sim/corps/" + corp + "/departments/" + deptId, Map.of("name", "Feed Dept 2"));
            sync(corp); // department.updated
            sim.send("DELETE", "/__sim/corps/" + corp + "/departments/" + deptId, null);
            sync(corp); // department.deleted

            // a resolve writes the member it found
            sim.post(
                    "/__sim/corps/" + corp + "/members",
                    Map.of("userid", "feedresolved", "name", "Resolved", "mobile", "13900001234"));
            ApiNode.Response resolved = node.resolve(corp, "13900001234");
            assertEquals(200, resolved.status(), resolved.toString());

            // a contact event: the member disabled in WeCom reaches orgsync by callback
            AdminClient.Reply on = FeedFixture.admin(node)
                    .put(
                            "/admin/api/enterprises/" + corp + "/callback",
                            Map.of("token", "QDG6eK", "aesKey", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"));
            assertEquals(200, on.status(), on.toString());
            sim.send(
                    "PUT",
                    "/__sim/corps/" + corp + "/callback",
                    Map.of(
                            "url",
                            node.base + "/callbacks/wecom/" + corp,
                            "token",
                            "QDG6eK",
                            "aesKey",
                            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"));
            sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + disabled, Map.of("status", 2));
            Waiting.until(
                    LIMIT,
                    "the disable applied through its event",
                    () -> FeedFixture.pull(node, corp, 0, 1000).stream()
                            .anyMatch(e -> e.path("subject").asText().equals(disabled)
                                    && e.path("type").asText().equals("io.orgsync.member.updated")));

            List<JsonNode> pulled = FeedFixture.pull(node, corp, 0, 7);
            Set<String> ids = pulled.stream().map(e -> e.path("id").asText()).collect(Collectors.toSet());
            FeedFixture.awaitIds(receiver, ids, LIMIT);

            // every type, each id once, each signature valid, the pull feed's bytes
            Set<String> types =
                    pulled.stream().map(e -> e.path("type").asText()).collect(Collectors.toSet());
            assertEquals(new TreeSet<>(Subscription.TYPES), new TreeSet<>(types));
            Map<String, Long> counts = receiver.acceptedIds();
            counts.forEach((id, n) -> assertEquals(1L, n, id + " delivered " + n + " times"));
            Map<String, JsonNode> pushed = new HashMap<>();
            for (WebhookReceiver.Delivery d : receiver.accepted()) {
                assertTrue(d.verified(), d.id() + ": " + d.verifyError());
                assertEquals("application/cloudevents+json", d.contentType());
                pushed.put(d.id(), d.json());
            }
            for (JsonNode e : pulled) {
                assertEquals(e, pushed.get(e.path("id").asText()), "push and pull of " + e.path("id"));
            }
            assertInOrder(receiver.accepted());

            JsonNode update = pulled.stream()
                    .filter(e -> e.path("subject").asText().equals(renamed)
                            && e.path("type").asText().endsWith("member.updated"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("Renamed Feed", update.path("data").path("name").asText());
            assertEquals(
                    "name", update.path("data").path("changedFields").path(0).asText(), update.toString());
            assertEquals("1.0", update.path("specversion").asText());
            assertEquals("/orgsync/test/corps/" + corp, update.path("source").asText());
            assertEquals("application/json", update.path("datacontenttype").asText());
            assertEquals(corp, update.path("corpid").asText());
            assertEquals(
                    update.path("id").asText(),
                    corp + ":" + update.path("sequence").asText());
            assertTrue(update.path("time").asText().endsWith("Z"), update.toString());
            JsonNode disable = pulled.stream()
                    .filter(e -> e.path("subject").asText().equals(disabled))
                    .reduce((x, y) -> y)
                    .orElseThrow();
            assertTrue(disable.path("data").path("changedFields").toString().contains("status"), disable.toString());

            JsonNode view = FeedFixture.view(node, "kinds");
            assertFalse(view.has("secret"));
            Waiting.until(
                    LIMIT,
                    "lag 0",
                    () -> FeedFixture.view(node, "kinds")
                                    .path("lag")
                                    .path("events")
                                    .asLong()
                            == 0);
            assertFalse(FeedFixture.view(node, "kinds").path("lastDeliveredAt").isNull());
            assertEquals(
                    204,
                    FeedFixture.admin(node)
                            .delete("/admin/api/subscriptions/kinds")
                            .status());
        }
    }

    @Test
    void filtersDeliverOnlyTheirEnterprisesAndTypesAndAReplaySendsAgain() throws Exception {
        String a = "ww-feed-fa";
        String b = "ww-feed-fb";
        for (String corp : List.of(a, b)) {
            sim.createCorp(corp, WECOM_SECRET, 3, 10, true);
            node.enterprise(corp, WECOM_SECRET);
            sync(corp);
        }
        try (WebhookReceiver receiver = new WebhookReceiver(FeedFixture.SECRET, true)) {
            JsonNode created = FeedFixture.subscribe(
                    node,
                    "only-b-members",
                    Map.of(
                            "url",
                            receiver.url(),
                            "corpIds",
                            List.of(b),
                            "types",
                            List.of("member.created", "io.orgsync.member.departed"),
                            "startAt",
                            "beginning"),
                    201);
            assertTrue(created.path("secret").asText().startsWith("whsec_"), created.toString());
            assertEquals(List.of(b), List.of(created.path("corpIds").path(0).asText()));
            List<JsonNode> expected = FeedFixture.pull(node, b, 0, 1000).stream()
                    .filter(e -> e.path("type").asText().equals("io.orgsync.member.created"))
                    .toList();
            assertEquals(10, expected.size());
            Set<String> ids = expected.stream().map(e -> e.path("id").asText()).collect(Collectors.toSet());
            FeedFixture.awaitIds(receiver, ids, LIMIT);
            Waiting.sleep(Duration.ofMillis(500)); // time for anything unwanted to arrive too
            assertEquals(ids, receiver.acceptedIds().keySet());

            // a replay of b from sequence 3 sends its member.created after 3 again
            long replayFrom = 3;
            AdminClient.Reply replay = FeedFixture.admin(node)
                    .send(
                            "POST",
                            "/admin/api/subscriptions/only-b-members/replay",
                            Map.of("corpId", b, "after", replayFrom));
            assertEquals(202, replay.status(), replay.toString());
            assertEquals("only-b-members", replay.json().path("name").asText());
            List<String> again = expected.stream()
                    .filter(e -> Long.parseLong(e.path("sequence").asText()) > replayFrom)
                    .map(e -> e.path("id").asText())
                    .toList();
            Waiting.until(
                    LIMIT,
                    "the replayed events",
                    () -> again.stream().allMatch(id -> receiver.acceptedIds().getOrDefault(id, 0L) == 2));
            assertInOrder(
                    receiver.accepted().subList(ids.size(), receiver.accepted().size()));

            AdminClient.Reply outside = FeedFixture.admin(node)
                    .send("POST", "/admin/api/subscriptions/only-b-members/replay", Map.of("corpId", a, "after", 0));
            assertEquals(400, outside.status(), outside.toString());
            AdminClient.Reply future = FeedFixture.admin(node)
                    .send(
                            "POST",
                            "/admin/api/subscriptions/only-b-members/replay",
                            Map.of("corpId", b, "after", 99999));
            assertEquals(400, future.status(), future.toString());
            FeedFixture.admin(node).delete("/admin/api/subscriptions/only-b-members");
        }
    }

    /** Within each enterprise, sequence numbers only grow. */
    static void assertInOrder(List<WebhookReceiver.Delivery> deliveries) {
        Map<String, Long> last = new HashMap<>();
        for (WebhookReceiver.Delivery d : deliveries) {
            long seq = d.sequence();
            Long before = last.put(d.corpId(), seq);
            assertTrue(before == null || seq > before, d.corpId() + ": " + seq + " after " + before);
        }
    }

    private static void sync(String corp) throws Exception {
        var run = node.sync(corp);
        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
