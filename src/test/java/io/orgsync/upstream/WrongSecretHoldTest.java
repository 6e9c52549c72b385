package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.store.Database;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.UpstreamNode;
import io.orgsync.testing.Waiting;
import io.orgsync.token.TokenUnavailableException;
import io.orgsync.wecom.WecomClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The secret is reset in WeCom's console while the cluster's token is still valid but due for
 * renewal: every node's renewal would send gettoken with the old secret, and repeated bad
 * gettoken calls ban the server's IP. The hold on the token row lets the whole cluster ask at
 * most once a minute, backing off while the secret stays wrong, with one alert, while callers
 * keep using the valid token.
 */
class WrongSecretHoldTest {
    private static final String CORP = "ww-wrong-secret";
    private static final String SECRET = "wrong-secret-test-0123456789";
    private static final String GETTOKEN = "/cgi-bin/gettoken";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private static String dbUrl;
    private final MutableClock clock = new MutableClock();
    private final List<UpstreamNode> nodes = new ArrayList<>();
    private final String robot = "wrong-secret-" + System.nanoTime();

    @BeforeAll
    static void database() {
        dbUrl = TestDatabases.mariadb("wrong_secret_hold");
        try (Database db =
                Database.open(dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl), false, "migrate", 2)) {
            db.migrate();
        }
        sim.createCorp(CORP, SECRET, 3, 20, true);
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (UpstreamNode n : nodes) {
            n.close();
        }
    }

    private UpstreamNode node(String name) {
        UpstreamNode node = new UpstreamNode(
                name,
                dbUrl,
                clock,
                URI.create(sim.baseUrl() + "/cgi-bin/webhook/send?key=" + robot),
                Duration.ofSeconds(5),
                10_000);
        nodes.add(node);
        return node;
    }

    private static WecomClient wecom(UpstreamNode node) {
        return new WecomClient(node.client, sim.baseUrl(), CORP, SECRET);
    }

    private void advance(long seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        sim.advanceClock(seconds);
    }

    private static long gettokens() {
        return sim.calls(GETTOKEN, CORP);
    }

    private double alerts() {
        return nodes.stream()
                .mapToDouble(n -> n.counter("orgsync_alerts_total", "type", "upstream_config"))
                .sum();
    }

    /** {@code perNode} department calls on each node, 4 threads a node; returns the failures. */
    private static List<Throwable> calls(int perNode, UpstreamNode... on) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4 * on.length);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (UpstreamNode n : on) {
                WecomClient client = wecom(n);
                for (int i = 0; i < perNode; i++) {
                    futures.add(pool.submit(client::departments));
                }
            }
            List<Throwable> failures = new ArrayList<>();
            for (Future<?> f : futures) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSecretResetDuringRenewalIsAskedAtMostOncePerMinuteClusterWide() throws Exception {
        try (Database db = Database.open(
                        dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl), false, "wipe", 1);
                var c = db.connection();
                var s = c.createStatement()) {
            s.execute("DELETE FROM upstream_token");
        }
        UpstreamNode a = node("a");
        UpstreamNode b = node("b");
        wecom(a).departments();
        wecom(b).departments();
        assertEquals(1, sim.tokensIssued(CORP));
        // 6,500 s on, the token is due for renewal (900 s ahead) and still valid for 700 s
        advance(6_500);
        sim.changeSecret(CORP, "reset-in-the-console-9876543210");
        sim.resetStats();

        // minute 0: 2 x 200 calls; the first renewal asks once and the hold stops every other one
        List<Throwable> failed = calls(100, a, b);
        Waiting.until(Duration.ofSeconds(10), "a renewal reached gettoken", () -> gettokens() >= 1);
        failed.addAll(calls(100, a, b));
        assertEquals(1, gettokens(), "bad gettoken calls in the first minute, cluster-wide");
        assertEquals(List.of(), failed, "callers keep using the valid token");
        assertEquals(1.0, alerts(), "one upstream_config alert for the cluster");
        String text = Waiting.await(
                Duration.ofSeconds(10),
                "the alert at the robot",
                () -> sim.webhookMessages(robot).size() == 0
                        ? null
                        : sim.webhookMessages(robot)
                                .get(0)
                                .path("message")
                                .path("text")
                                .path("content")
                                .asText());
        assertTrue(text.contains("40001") && text.contains("PUT /admin/api/enterprises/" + CORP), text);
        assertFalse(text.contains(SECRET), "no secret in the alert");

        // a minute later the cluster asks once more; the hold then doubles to 2 minutes
        advance(61);
        assertEquals(List.of(), calls(100, a, b));
        Waiting.until(Duration.ofSeconds(10), "the second renewal reached gettoken", () -> gettokens() >= 2);
        assertEquals(List.of(), calls(100, a, b));
        assertEquals(2, gettokens(), "bad gettoken calls after one minute");
        advance(61);
        assertEquals(List.of(), calls(100, a, b));
        assertEquals(2, gettokens(), "two minutes after the second try, not one");
        advance(60);
        assertEquals(List.of(), calls(100, a, b));
        Waiting.until(Duration.ofSeconds(10), "the third renewal reached gettoken", () -> gettokens() >= 3);
        assertEquals(List.of(), calls(100, a, b));
        assertEquals(3, gettokens());

        // a node that starts now adopts the stored token, which is still valid, without asking
        UpstreamNode c = node("c");
        assertEquals(List.of(), calls(20, c));
        assertEquals(3, gettokens());

        // past the token's expiry a caller gets a clear failure, and during the hold no one asks
        advance(600);
        List<Throwable> expired = calls(20, a, b, c);
        assertEquals(60, expired.size(), "no token left: every call fails");
        assertEquals(4, gettokens(), "one bad gettoken when the 4-minute hold had ended, then a hold of 8");
        for (Throwable e : expired) {
            assertInstanceOf(UpstreamException.class, e);
            assertInstanceOf(TokenUnavailableException.class, e.getCause(), e.toString());
            assertTrue(e.getMessage().contains("not asked for again before"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), "no secret in messages");
        }
        UpstreamException e = assertThrows(UpstreamException.class, () -> wecom(c).departments());
        assertEquals(40001, e.errcode());
        assertEquals(4, gettokens());
        assertEquals(1.0, alerts(), "still one alert: the streak goes on");
    }
}
