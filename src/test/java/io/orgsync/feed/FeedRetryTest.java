package io.orgsync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import io.orgsync.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A receiver that answers 503: nothing is lost while it is down (the node's clock is moved through
 * the backoff), and past ORGSYNC_FEED_RETRY_HOURS the subscription is failing, alerted once, shown
 * in the metrics, and resumes from where it stopped when re-enabled. On MariaDB.
 */
class FeedRetryTest {
    private static final String WECOM_SECRET = "feed-retry-secret-0123456789";
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static SimulatorControl sim;
    private static ApiNode node;
    private static final MutableClock clock = new MutableClock();

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorControl();
        node = FeedFixture.node("feed-retry", TestDatabases.mariadb("feed_retry"), sim, clock, Map.of());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        sim.close();
    }

    @Test
    void aReceiverDownForAWhileLosesNothingAndOneDownPastTheHorizonFailsUntilReEnabled() throws Exception {
        String corp = "ww-feed-retry";
        sim.createCorp(corp, WECOM_SECRET, 3, 15, true);
        node.enterprise(corp, WECOM_SECRET);
        try (WebhookReceiver receiver = new WebhookReceiver(FeedFixture.SECRET, false)) {
            receiver.status.set(503);
            Map<String, Object> body = Map.of("url", receiver.url(), "secret", FeedFixture.SECRET);
            FeedFixture.subscribe(node, "flaky", body, 201);
            sync(corp);
            Waiting.until(LIMIT, "a refused delivery", () -> !receiver.deliveries.isEmpty());
            JsonNode failing = Waiting.await(LIMIT, "lastError", () -> {
                JsonNode v = FeedFixture.view(node, "flaky");
                return v.path("lastError").isTextual() ? v : null;
            });
            String error = failing.path("lastError").asText();
            assertTrue(error.contains("HTTP 503: receiver down for maintenance"), error);
            assertTrue(error.length() < 320, "the receiver's answer is cut to 200 characters: " + error);
            assertFalse(error.contains(FeedFixture.SECRET.substring(6)), error);
            assertEquals("active", failing.path("state").asText());
            assertTrue(failing.path("lag").path("events").asLong() > 0, failing.toString());

            // down through a few backoffs, each retried (1 s, 2 s, 4 s, ...): the same first event every time
            for (int i = 0; i < 6; i++) {
                int seen = receiver.deliveries.size();
                clock.advance(Duration.ofMinutes(1));
                Waiting.until(LIMIT, "another attempt", () -> receiver.deliveries.size() > seen);
            }
            assertEquals(
                    1,
                    receiver.deliveries.stream()
                            .map(WebhookReceiver.Delivery::id)
                            .distinct()
                            .count(),
                    "nothing after the first undelivered event is sent");
            receiver.status.set(200);
            clock.advance(Duration.ofMinutes(10));
            List<String> all = ids(FeedFixture.pull(node, corp, 0, 1000));
            FeedFixture.awaitIds(receiver, all, LIMIT);
            FeedDeliveryTest.assertInOrder(receiver.accepted());
            Waiting.until(
                    LIMIT,
                    "lastError cleared",
                    () -> FeedFixture.view(node, "flaky").path("lastError").isNull());

            // down past the retry horizon (24 h by default): failing, one alert, the metric
            receiver.status.set(503);
            sim.send("PATCH", "/__sim/corps/" + corp + "/departments/2", Map.of("name", "Feed Retry Dept"));
            sync(corp);
            int before = receiver.deliveries.size();
            Waiting.until(LIMIT, "the refused change", () -> receiver.deliveries.size() > before);
            // the horizon counts from the first refusal as the node recorded it: moving the clock before the
            // node has recorded it (the receiver answered, the node not yet written) would move that start too
            Waiting.until(
                    LIMIT,
                    "the refusal recorded",
                    () -> FeedFixture.view(node, "flaky").path("lastError").isTextual());
            clock.advance(Duration.ofHours(25));
            JsonNode failed = Waiting.await(LIMIT, "state failing", () -> {
                JsonNode v = FeedFixture.view(node, "flaky");
                return v.path("state").asText().equals("failing") ? v : null;
            });
            assertTrue(failed.path("lastError").asText().contains("ORGSYNC_FEED_RETRY_HOURS"), failed.toString());
            Waiting.until(
                    LIMIT,
                    "the subscription_failing alert",
                    () -> sim.webhookMessages("feed-retry").toString().contains("subscription_failing"));
            Waiting.until(
                    LIMIT,
                    "orgsync_feed_failing 1",
                    () -> node.get("/metrics").text().contains("orgsync_feed_failing{subscription=\"flaky\"} 1"));
            assertTrue(node.get("/metrics")
                    .text()
                    .contains("orgsync_feed_deliveries_total{outcome=\"failed\",subscription=\"flaky\"}"));
            int whileFailing = receiver.deliveries.size();
            clock.advance(Duration.ofHours(1));
            Waiting.sleep(Duration.ofSeconds(1));
            assertEquals(whileFailing, receiver.deliveries.size(), "a failing subscription sends nothing");

            // re-enabled: from where it stopped
            receiver.status.set(200);
            JsonNode resumed = FeedFixture.subscribe(node, "flaky", body, 200);
            assertEquals("active", resumed.path("state").asText());
            List<String> now = ids(FeedFixture.pull(node, corp, 0, 1000));
            FeedFixture.awaitIds(receiver, now, LIMIT);
            Set<String> accepted = receiver.acceptedIds().keySet();
            assertTrue(accepted.containsAll(now));
            FeedDeliveryTest.assertInOrder(receiver.accepted());
            assertEquals(
                    Set.copyOf(all),
                    receiver.accepted().stream()
                            .filter(d -> all.contains(d.id()))
                            .map(WebhookReceiver.Delivery::id)
                            .collect(Collectors.toSet()));
        }
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }

    private static void sync(String corp) throws Exception {
        var run = node.sync(corp);
        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
    }
}
