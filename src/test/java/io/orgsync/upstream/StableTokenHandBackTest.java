package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.miniapp.MiniProgramClient;
import io.orgsync.miniapp.WxaCode;
import io.orgsync.miniapp.WxaCodeRequest;
import io.orgsync.store.Database;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.UpstreamNode;
import io.orgsync.testing.Waiting;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WeChat may hand back a stable token it has just rejected (stable_token without force_refresh
 * returns the same token until it expires). One plain fetch shows it; a forced refresh replaces
 * it, at most once per 30 s per app for the whole cluster and a few times a day (WeChat allows
 * 20); past that the app's calls fail with a clear 503 and an alert until one is allowed.
 */
class StableTokenHandBackTest {
    private static final String APP = "wx-handback";
    private static final String APP_SECRET = "handback-app-secret-0123456789";
    private static final String STABLE_TOKEN = "/cgi-bin/stable_token";
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final MutableClock clock = new MutableClock();
    private final List<UpstreamNode> nodes = new ArrayList<>();
    private final String robot = "handback-" + System.nanoTime();

    @AfterEach
    void stop() throws Exception {
        for (UpstreamNode n : nodes) {
            n.close();
        }
        sim.send("DELETE", "/__sim/limits", null);
    }

    private MiniProgramClient app(String name, String dbUrl) {
        UpstreamNode node = new UpstreamNode(
                name,
                dbUrl,
                clock,
                URI.create(sim.baseUrl() + "/cgi-bin/webhook/send?key=" + robot),
                Duration.ofSeconds(10),
                10_000);
        nodes.add(node);
        return new MiniProgramClient(node.client, sim.baseUrl(), APP, APP_SECRET, true);
    }

    private static WxaCode code(MiniProgramClient app, String scene) {
        return app.unlimitedCode(new WxaCodeRequest(scene, null, null, null, null, null));
    }

    private void advance(long seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        sim.advanceClock(seconds);
    }

    private static long forced() {
        return sim.stats().path("forcedRefreshes").path(APP).asLong(0);
    }

    /** 5 codes on each node at once; all must come back as images. */
    private static void codesOnBoth(MiniProgramClient a, MiniProgramClient b, String round) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<WxaCode>> codes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String scene = round + "=" + i;
                codes.add(pool.submit(() -> code(a, scene)));
                codes.add(pool.submit(() -> code(b, scene)));
            }
            for (Future<WxaCode> f : codes) {
                assertEquals("image/jpeg", f.get(30, TimeUnit.SECONDS).contentType());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHandedBackStableTokenCostsOneFetchAndARationedForcedRefresh() throws Exception {
        String dbUrl = TestDatabases.mariadb("stable_handback");
        try (Database db =
                Database.open(dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl), false, "migrate", 1)) {
            db.migrate();
        }
        // the daily count must not roll over mid-test: keep clear of midnight in China
        long toMidnight = LocalDate.ofInstant(clock.instant(), CHINA)
                        .plusDays(1)
                        .atStartOfDay(CHINA)
                        .toInstant()
                        .toEpochMilli()
                - clock.millis();
        if (toMidnight < 20 * 60_000) {
            advance(toMidnight / 1000 + 60);
        }
        sim.createApp(APP, APP_SECRET);
        sim.limits(Map.of("stableHandsBackInvalidated", true));
        MiniProgramClient a = app("a", dbUrl);
        MiniProgramClient b = app("b", dbUrl);
        code(a, "warm=a");
        code(b, "warm=b");
        assertEquals(1, sim.tokensIssued(APP + "/stable"));

        // invalidated: the plain fetch hands the dead token back, one forced refresh replaces it for both nodes
        sim.resetStats();
        sim.invalidateTokens(APP);
        codesOnBoth(a, b, "first");
        assertEquals(2, sim.calls(STABLE_TOKEN, APP), "stable_token calls: one plain, one forced");
        assertEquals(1, forced(), "forced refreshes");
        assertEquals(0, sim.stats().path("errors").path("45009").asLong(0), "no forced refresh was refused");

        // invalidated again within 30 s: no forced refresh yet, a clear 503 on both nodes, one alert
        sim.resetStats();
        sim.invalidateTokens(APP);
        for (MiniProgramClient app : List.of(a, b, a, b)) {
            UpstreamException e = assertThrows(UpstreamException.class, () -> code(app, "second"));
            assertEquals(UpstreamException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
            assertTrue(
                    e.getMessage().contains("less than 30 s ago")
                            && e.getMessage().contains("retry after"),
                    e.getMessage());
        }
        assertEquals(1, sim.calls(STABLE_TOKEN, APP), "stable_token calls while a forced refresh is not allowed");
        assertEquals(0, forced());
        String alert = Waiting.await(Duration.ofSeconds(10), "the token_stuck alert", () -> {
            for (var m : sim.webhookMessages(robot)) {
                String text = m.path("message").path("text").path("content").asText();
                if (text.contains("token_stuck")) {
                    return text;
                }
            }
            return null;
        });
        assertTrue(alert.contains(APP) && alert.contains("503"), alert);
        assertEquals(
                1.0,
                nodes.stream()
                        .mapToDouble(n -> n.counter("orgsync_alerts_total", "type", "token_stuck"))
                        .sum());

        // 30 s later one fetch and one forced refresh, whichever node asks
        advance(31);
        sim.resetStats();
        codesOnBoth(a, b, "third");
        assertEquals(2, sim.calls(STABLE_TOKEN, APP));
        assertEquals(1, forced());

        // orgsync's daily cap (5, WeChat's is 20): two used, three more, then a 503 until tomorrow
        long forcedToday = 2;
        for (int i = 0; i < 3; i++) {
            advance(31);
            sim.resetStats();
            sim.invalidateTokens(APP);
            codesOnBoth(a, b, "cap" + i);
            forcedToday += forced();
        }
        assertEquals(5, forcedToday);
        advance(31);
        sim.resetStats();
        sim.invalidateTokens(APP);
        UpstreamException capped = assertThrows(UpstreamException.class, () -> code(b, "capped"));
        assertTrue(capped.getMessage().contains("today's 5 forced refreshes"), capped.getMessage());
        assertThrows(UpstreamException.class, () -> code(a, "capped"));
        assertEquals(0, forced(), "no forced refresh past the cap");
        assertEquals(1, sim.calls(STABLE_TOKEN, APP));
        assertTrue(!capped.getMessage().contains(APP_SECRET), "no secret in messages");
    }
}
