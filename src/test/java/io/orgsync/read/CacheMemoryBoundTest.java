package io.orgsync.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.member.Mobile;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.Scrape;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The read cache stays within ORGSYNC_LOOKUP_CACHE_MB: 20,000 members synced into MariaDB, every
 * number looked up once (and a fifth of the members by userid), with a 2 MB cache that holds
 * only a part of those answers. Its estimated weight (answer bytes plus key and bookkeeping) is
 * checked against the bound while it fills and at the end, through the node and /metrics.
 */
class CacheMemoryBoundTest {
    private static final String CORP = "ww-cache-bound";
    private static final String SECRET = "bound-secret-0123456789";
    private static final int MEMBERS = 20_000;
    private static final int MEGABYTES = 2;

    @Test
    void aHundredThousandMembersLookedUpKeepTheCacheWithinItsBound() throws Exception {
        try (SimulatorControl sim = new SimulatorControl()) {
            sim.limits(Map.of("perMinute", 0, "perHour", 0));
            sim.createCorp(CORP, SECRET, 160, MEMBERS, true);
            List<String> mobiles = new ArrayList<>();
            List<String> userids = new ArrayList<>();
            for (JsonNode m : sim.export(CORP).path("members")) {
                mobiles.add(Mobile.normalise(m.path("mobile").asText()).orElseThrow());
                userids.add(m.path("userid").asText());
            }
            try (ApiNode node = ApiNode.start(
                    "cache-bound",
                    TestDatabases.mariadb("read_bound"),
                    sim,
                    Map.of("ORGSYNC_LOOKUP_CACHE_MB", String.valueOf(MEGABYTES)))) {
                node.enterprise(CORP, SECRET);
                Run run = node.sync(CORP);
                assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
                assertEquals(MEMBERS, run.membersAdded());
                ReadCache cache = NodeInternals.readCache(node.node);
                long bound = MEGABYTES * (1L << 20);
                assertEquals(bound, cache.maxBytes());

                AtomicLong peak = new AtomicLong();
                AtomicLong bodies = new AtomicLong();
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                List<Thread> threads = new ArrayList<>();
                int threadCount = 3;
                for (int t = 0; t < threadCount; t++) {
                    int first = t;
                    Thread thread = new Thread(() -> {
                        try {
                            for (int i = first; i < MEMBERS; i += threadCount) {
                                Answer a = NodeInternals.reads(node.node).byMobile(mobiles.get(i), null);
                                assertEquals(200, a.status());
                                bodies.addAndGet(a.body().length);
                                if (i % 5 == 0) {
                                    assertEquals(
                                            200,
                                            NodeInternals.reads(node.node)
                                                    .member(CORP, userids.get(i), false)
                                                    .status());
                                }
                                if (i % 1000 < threadCount) {
                                    peak.accumulateAndGet(cache.weightedBytes(), Math::max);
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    });
                    thread.start();
                    threads.add(thread);
                }
                for (Thread t : threads) {
                    t.join();
                }
                assertTrue(failures.isEmpty(), () -> "lookups failed: " + failures);
                long entries = cache.entries();
                long weight = cache.weightedBytes();
                peak.accumulateAndGet(weight, Math::max);
                System.out.printf(
                        "%d lookup answers (%d MB of JSON) through the %d MB cache: %d entries, %.1f MB estimated, peak %.1f MB, "
                                + "%.0f evictions%n",
                        MEMBERS,
                        bodies.get() >> 20,
                        MEGABYTES,
                        entries,
                        weight / 1048576.0,
                        peak.get() / 1048576.0,
                        Scrape.value(node, "orgsync_lookup_cache_evictions_total"));
                assertTrue(bodies.get() > 4 * bound, "the answers were far more than the cache holds");
                assertTrue(peak.get() <= bound, "within the bound while it filled: " + peak.get());
                assertTrue(weight <= bound && weight > bound / 2, "within the bound, and used: " + weight);
                assertTrue(entries < MEMBERS, "not every answer is kept: " + entries);
                assertTrue(
                        Scrape.value(node, "orgsync_lookup_cache_evictions_total") > 0,
                        "answers were evicted to stay within it");
                assertTrue(Scrape.value(node, "orgsync_lookup_cache_weight_bytes") <= bound);
                assertEquals(entries, (long) Scrape.value(node, "orgsync_lookup_cache_size"));
                // evicted answers are read again, not lost
                assertEquals(
                        200,
                        node.get("/api/v1/members/by-mobile/" + mobiles.get(0)).status());
            }
        }
    }
}
