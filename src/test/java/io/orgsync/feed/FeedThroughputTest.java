package io.orgsync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import io.orgsync.testing.WebhookReceiver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One node delivering a sync's few thousand changes to a fast local receiver: the rate printed,
 * and a floor well below the 1,000 a second target (a loaded test machine must not fail it).
 */
class FeedThroughputTest {
    private static final String WECOM_SECRET = "feed-speed-secret-0123456789";

    @Test
    void aSyncsChangesReachAFastReceiverAtHundredsASecondAtLeast() throws Exception {
        String corp = "ww-feed-speed";
        try (SimulatorControl sim = new SimulatorControl();
                ApiNode node = FeedFixture.node(
                        "feed-speed", TestDatabases.h2("feed_speed"), sim, Clock.systemUTC(), Map.of());
                WebhookReceiver receiver = new WebhookReceiver(FeedFixture.SECRET, false)) {
            sim.createCorp(corp, WECOM_SECRET, 20, 3000, true);
            node.enterprise(corp, WECOM_SECRET);
            FeedFixture.subscribe(node, "speed", Map.of("url", receiver.url(), "secret", FeedFixture.SECRET), 201);
            var run = node.sync(corp);
            assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
            long changes = new io.orgsync.org.ChangeLog(node.node.db.dataSource()).latest(corp);
            Waiting.until(
                    Duration.ofSeconds(60),
                    changes + " deliveries",
                    () -> receiver.accepted().size() >= changes);
            List<WebhookReceiver.Delivery> all = receiver.accepted();
            long millis = Math.max(1, all.get(all.size() - 1).at() - all.get(0).at());
            double rate = all.size() * 1000.0 / millis;
            System.out.printf("feed throughput: %d deliveries in %d ms, %.0f a second%n", all.size(), millis, rate);
            assertTrue(rate >= 200, "only " + rate + " deliveries a second");
        }
    }
}
