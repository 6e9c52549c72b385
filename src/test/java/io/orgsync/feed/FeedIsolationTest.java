package io.orgsync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import io.orgsync.testing.WebhookReceiver;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A receiver that takes 2 s per answer holds up its own subscription only: a sync of hundreds of
 * changes ends at its own pace and lookups answer at once while the deliveries crawl.
 */
class FeedIsolationTest {
    private static final String WECOM_SECRET = "feed-slow-secret-0123456789";

    @Test
    void aSlowReceiverSlowsNeitherASyncNorALookup() throws Exception {
        String corp = "ww-feed-slow";
        try (SimulatorControl sim = new SimulatorControl();
                ApiNode node =
                        FeedFixture.node("feed-slow", TestDatabases.h2("feed_slow"), sim, Clock.systemUTC(), Map.of());
                WebhookReceiver receiver = new WebhookReceiver(FeedFixture.SECRET, false)) {
            receiver.delayMillis.set(2000);
            sim.createCorp(corp, WECOM_SECRET, 6, 400, true);
            node.enterprise(corp, WECOM_SECRET);
            FeedFixture.subscribe(node, "slow", Map.of("url", receiver.url(), "secret", FeedFixture.SECRET), 201);
            long started = System.nanoTime();
            var run = node.sync(corp);
            long syncMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
            Waiting.until(Duration.ofSeconds(10), "the first slow delivery", () -> !receiver.deliveries.isEmpty());

            JsonNode member = sim.export(corp).path("members").path(0);
            long lookups = 0;
            long slowest = 0;
            for (int i = 0; i < 20; i++) {
                long t = System.nanoTime();
                ApiNode.Response r = node.get(
                        "/api/v1/members/by-mobile/" + member.path("mobile").asText());
                slowest = Math.max(slowest, (System.nanoTime() - t) / 1_000_000);
                assertEquals(200, r.status(), r.toString());
                lookups++;
            }
            System.out.printf(
                    "slow receiver: sync of 400 members %d ms, %d lookups, slowest %d ms, %d deliveries meanwhile%n",
                    syncMillis, lookups, slowest, receiver.deliveries.size());
            assertTrue(syncMillis < 20_000, "the sync took " + syncMillis + " ms");
            // a lookup that waited for a delivery would take at least the receiver's 2 s
            assertTrue(slowest < 1_900, "a lookup took " + slowest + " ms");
            assertTrue(receiver.deliveries.size() < 20, "the receiver was not slow: " + receiver.deliveries.size());
        }
    }
}
