package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The resolve rate over the real HTTP server at its default of 5 per second: what a client
 * expects from "5 per second" is served (5 at once, or a second resolve 100 ms after the first);
 * a flood above the rate still gets 429 rate_limited with Retry-After. Each test has its own
 * enterprise, so that each starts with a fresh limiter.
 */
class ResolveBurstTest {
    private static final String SECRET = "burst-secret-0123456789";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private static ApiNode node;

    @BeforeAll
    static void start() throws Exception {
        // ORGSYNC_RESOLVE_RATE left at its default
        node = ApiNode.start("resolve-burst", TestDatabases.h2("resolve_burst"), sim, Map.of());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A synced enterprise whose app cannot see mobiles, and the mobiles of its active mainland members. */
    private static List<String> corp(String corpId, int members) throws Exception {
        sim.createCorp(corpId, SECRET, 3, members, false);
        node.enterprise(corpId, SECRET);
        assertEquals(RunStatus.SUCCEEDED, node.sync(corpId).status());
        List<String> mobiles = new ArrayList<>();
        sim.export(corpId).path("members").forEach(m -> {
            if (m.path("status").asInt() == 1 && m.path("mobile").asText().matches("1[3-9]\\d{9}")) {
                mobiles.add(m.path("mobile").asText());
            }
        });
        return mobiles;
    }

    @Test
    void fiveResolvesAtOnceAreAllServed() throws Exception {
        List<String> mobiles = corp("ww-burst-five", 20);
        List<ApiNode.Response> answers = atOnce("ww-burst-five", mobiles.subList(0, 5));
        for (ApiNode.Response r : answers) {
            assertEquals(200, r.status(), r::toString);
        }
    }

    @Test
    void aSecondResolve100MillisecondsAfterTheFirstIsServed() throws Exception {
        List<String> mobiles = corp("ww-burst-second", 20);
        ApiNode.Response first = node.resolve("ww-burst-second", mobiles.get(0));
        assertEquals(200, first.status(), first::toString);
        Thread.sleep(100);
        ApiNode.Response second = node.resolve("ww-burst-second", mobiles.get(1));
        assertEquals(200, second.status(), second::toString);
    }

    @Test
    void aFloodAboveTheRateIsRefusedWithRetryAfter() throws Exception {
        List<String> mobiles = corp("ww-burst-flood", 80);
        int callers = 30;
        assertTrue(mobiles.size() >= callers, "enough members: " + mobiles.size());
        long started = System.nanoTime();
        List<ApiNode.Response> answers = atOnce("ww-burst-flood", mobiles.subList(0, callers));
        double seconds = (System.nanoTime() - started) / 1e9;
        int served = 0;
        int limited = 0;
        for (ApiNode.Response r : answers) {
            if (r.status() == 200) {
                served++;
            } else {
                assertError(r, 429, "rate_limited", SECRET);
                assertTrue(Long.parseLong(r.header("Retry-After")) >= 1, r::toString);
                limited++;
            }
        }
        System.out.printf(
                "resolve flood: %d callers at once, %d served, %d rate_limited in %.2f s%n",
                callers, served, limited, seconds);
        assertEquals(callers, served + limited);
        assertTrue(served >= 5, "at least the burst is served: " + served);
        // a full bucket of 5 plus 5 a second for as long as the flood lasted, and nothing more
        assertTrue(served <= 5 + Math.ceil(5 * seconds), served + " served in " + seconds + " s");
        assertTrue(limited > 0, "a flood above the rate is refused");
    }

    private static List<ApiNode.Response> atOnce(String corpId, List<String> mobiles) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(mobiles.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ApiNode.Response>> futures = new ArrayList<>();
            for (String mobile : mobiles) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return node.resolve(corpId, mobile);
                }));
            }
            go.countDown();
            List<ApiNode.Response> out = new ArrayList<>();
            for (Future<ApiNode.Response> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
