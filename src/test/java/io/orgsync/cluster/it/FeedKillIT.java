package io.orgsync.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.testing.Waiting;
import io.orgsync.testing.WebhookReceiver;
import io.orgsync.testing.cluster.Cluster;
import io.orgsync.testing.cluster.HttpResult;
import io.orgsync.testing.cluster.NodeSpec;
import io.orgsync.testing.cluster.OrgsyncNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the node delivering a subscription, mid-delivery: the other writing node takes the
 * lease over within 30 s and the receiver ends with every change (a few twice: at least once),
 * each enterprise in sequence order within each node's attempt.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class FeedKillIT {
    private static final String CORP = "wwfeedkill";
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static Cluster cluster;
    private static OrgsyncNode a;
    private static OrgsyncNode b;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.create("it_feedkill");
        List<OrgsyncNode> nodes = cluster.start(NodeSpec.scheduler("feed-a"), NodeSpec.scheduler("feed-b"));
        a = nodes.get(0);
        b = nodes.get(1);
        cluster.enterprise(a, CORP, 8, 300, Cluster.NEVER);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aKilledDeliverersSubscriptionIsTakenOverAndNothingIsLost() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET, true)) {
            receiver.delayMillis.set(20); // ~300 events take ~6 s: time to kill the deliverer half-way
            HttpResult put = a.put("/admin/api/subscriptions/kill", Map.of("url", receiver.url(), "secret", SECRET));
            assertEquals(201, put.status(), put.body());
            cluster.syncOnce(a, CORP, Duration.ofSeconds(60));
            long latest = latest();
            assertTrue(latest > 300, "changes: " + latest);

            Waiting.until(
                    Duration.ofSeconds(30),
                    "deliveries under way",
                    () -> receiver.accepted().size() >= 60);
            String holder = leaseOwner();
            OrgsyncNode victim = holder.equals(a.name()) ? a : b;
            OrgsyncNode survivor = victim == a ? b : a;
            long killedAt = System.currentTimeMillis();
            victim.kill();
            assertTrue(!victim.alive(), victim.name() + " still alive after SIGKILL");
            // the victim's last delivery may arrive while it is being killed: only what comes after its
            // death is the survivor's (which waits for the victim's lease to lapse, seconds later)
            long deadAt = System.currentTimeMillis();
            int before = receiver.accepted().size();
            assertTrue(before < latest, "the kill came after every delivery: " + before);

            Set<String> all = LongStream.rangeClosed(1, latest)
                    .mapToObj(s -> CORP + ":" + s)
                    .collect(Collectors.toSet());
            Waiting.until(
                    Duration.ofSeconds(90),
                    "every change at the receiver",
                    () -> receiver.acceptedIds().keySet().containsAll(all));
            List<WebhookReceiver.Delivery> accepted = receiver.accepted();
            long resumedAt = accepted.stream()
                    .filter(d -> d.at() > deadAt)
                    .mapToLong(WebhookReceiver.Delivery::at)
                    .min()
                    .orElseThrow();
            long takeover = resumedAt - killedAt;
            long duplicates = accepted.size() - all.size();
            Cluster.report(String.format(
                    "FeedKillIT: killed %s after %d deliveries; %s delivered again %.1f s later; %d of %d delivered twice",
                    victim.name(), before, survivor.name(), takeover / 1000.0, duplicates, latest));
            assertEquals(survivor.name(), leaseOwner());
            assertTrue(takeover < 30_000, "delivery resumed only " + takeover + " ms after the kill (target < 30 s)");
            inOrder(accepted.stream().filter(d -> d.at() <= deadAt).toList());
            inOrder(accepted.stream().filter(d -> d.at() > deadAt).toList());
            assertTrue(accepted.stream().allMatch(WebhookReceiver.Delivery::verified));
        }
    }

    private static void inOrder(List<WebhookReceiver.Delivery> deliveries) {
        long last = 0;
        for (WebhookReceiver.Delivery d : deliveries) {
            assertTrue(d.sequence() > last, d.sequence() + " after " + last);
            last = d.sequence();
        }
    }

    private static long latest() throws Exception {
        return one("SELECT change_seq FROM org_version WHERE corp_id = ?", CORP);
    }

    private static String leaseOwner() throws Exception {
        try (Connection c = cluster.db.connect();
                PreparedStatement ps =
                        c.prepareStatement("SELECT lease_owner FROM feed_subscription WHERE name = 'kill'")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static long one(String sql, String arg) throws Exception {
        try (Connection c = cluster.db.connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
