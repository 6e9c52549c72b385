package io.orgsync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.member.StoredDepartment;
import io.orgsync.org.OrgChange;
import io.orgsync.org.OrgTransaction;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import io.orgsync.testing.WebhookReceiver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Changes written at 50 a second on the delivering node reach a receiver within a second of their
 * commit (p99), as the writer wakes the deliverer instead of waiting for its poll.
 */
class FeedLagTest {
    private static final String WECOM_SECRET = "feed-lag-secret-0123456789";

    @Test
    void changesAtFiftyASecondArriveWithinASecondOfTheirCommit() throws Exception {
        String corp = "ww-feed-lag";
        try (SimulatorControl sim = new SimulatorControl();
                ApiNode node =
                        FeedFixture.node("feed-lag", TestDatabases.h2("feed_lag"), sim, Clock.systemUTC(), Map.of());
                WebhookReceiver receiver = new WebhookReceiver(FeedFixture.SECRET, false)) {
            sim.createCorp(corp, WECOM_SECRET, 2, 5, true);
            node.enterprise(corp, WECOM_SECRET);
            var run = node.sync(corp);
            assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
            FeedFixture.subscribe(node, "lag", Map.of("url", receiver.url(), "secret", FeedFixture.SECRET), 201);
            Waiting.sleep(Duration.ofSeconds(1)); // the lease taken: the test measures delivery, not start-up
            int changes = 250;
            long start = System.nanoTime();
            for (int i = 0; i < changes; i++) {
                long id = 9000 + i;
                node.node.org.write(corp, OrgChange.Source.ADMIN, tx -> {
                    tx.putDepartments(List.of(
                            new OrgTransaction.DepartmentWrite(null, new StoredDepartment(id, "Lag " + id, 1, 0))));
                    return null;
                });
                long due = start + (i + 1) * 20_000_000L; // 50 a second
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            Waiting.until(
                    Duration.ofSeconds(30),
                    changes + " deliveries",
                    () -> receiver.accepted().size() >= changes);
            long[] lags = receiver.accepted().stream()
                    .mapToLong(d -> d.at()
                            - Instant.parse(d.json().path("time").asText()).toEpochMilli())
                    .sorted()
                    .toArray();
            long p50 = lags[lags.length / 2];
            long p99 = lags[(int) Math.ceil(lags.length * 0.99) - 1];
            System.out.printf(
                    "feed lag at 50 changes/s: p50 %d ms, p99 %d ms, max %d ms%n", p50, p99, lags[lags.length - 1]);
            assertTrue(p99 <= 1000, "p99 " + p99 + " ms");
        }
    }
}
