package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.miniapp.MiniProgramClient;
import io.orgsync.miniapp.WxaCodeRequest;
import io.orgsync.store.Database;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestWaiter;
import io.orgsync.testing.UpstreamNode;
import io.orgsync.wecom.WecomClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each errcode class of docs/upstream.md, injected by the simulator and checked in its statistics. */
class ErrcodeHandlingTest {
    private static final String CORP = "ww-errcodes";
    private static final String SECRET = "errcode-secret-0123456789";
    private static final String USER_GET = "/cgi-bin/user/get";
    private static SimulatorControl sim;
    private static String dbUrl;
    private UpstreamNode node;
    /** The client's backoff sleeps on it: recorded exactly, and skipped. */
    private TestWaiter waiter;

    private WecomClient wecom;
    private String someUser;
    private String robotKey;

    @BeforeAll
    static void start() {
        sim = new SimulatorControl();
        sim.createCorp(CORP, SECRET, 3, 20, true);
        sim.createApp("wx-errcodes", "wx-secret-0123456789");
        dbUrl = TestDatabases.h2("errcodes");
        try (Database db = Database.open(dbUrl, "sa", "", false, "migrate", 2)) {
            db.migrate();
        }
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void newNode() {
        robotKey = "errcodes-" + System.nanoTime();
        waiter = new TestWaiter();
        URI robot = URI.create(sim.baseUrl() + "/cgi-bin/webhook/send?key=" + robotKey);
        node = new UpstreamNode(
                "errcodes",
                dbUrl,
                new MutableClock(),
                waiter,
                robot,
                Duration.ofSeconds(5),
                10_000,
                null,
                Database.CONNECTION_TIMEOUT);
        wecom = new WecomClient(node.client, sim.baseUrl(), CORP, SECRET);
        someUser = sim.export(CORP).path("members").get(0).path("userid").asText();
        wecom.member(someUser); // token in place
        sim.resetStats();
    }

    @AfterEach
    void close() throws Exception {
        sim.clearFaults();
        node.close();
    }

    @Test
    void systemBusyIsRetriedWithBackoffAtMostThreeTimes() {
        sim.fault(Map.of("path", USER_GET, "errcode", -1, "count", 2));
        assertTrue(wecom.member(someUser).isPresent());
        assertEquals(3, sim.calls(USER_GET, CORP), "two busy answers, then success");
        assertBackoffs(200, 400);

        sim.fault(Map.of("path", USER_GET, "errcode", -1));
        sim.resetStats();
        UpstreamException e = assertThrows(UpstreamException.class, () -> wecom.member(someUser));
        assertEquals(UpstreamException.Kind.UNAVAILABLE, e.kind());
        assertEquals(-1, e.errcode());
        assertEquals(4, sim.calls(USER_GET, CORP), "the call and three retries, no more");
        assertBackoffs(200, 400, 200, 400, 800);
    }

    /** Each backoff lasts its base and up to half of it again (the jitter), in this order. */
    private void assertBackoffs(long... baseMillis) {
        List<Duration> sleeps = waiter.sleeps();
        assertEquals(baseMillis.length, sleeps.size(), "backoffs: " + sleeps);
        for (int i = 0; i < baseMillis.length; i++) {
            long ms = sleeps.get(i).toMillis();
            assertTrue(
                    ms >= baseMillis[i] && ms <= baseMillis[i] * 3 / 2,
                    "backoff " + i + " took " + ms + " ms, base " + baseMillis[i]);
        }
    }

    @Test
    void aBlockIsNeverRetriedInto() {
        sim.fault(Map.of("path", USER_GET, "errcode", 45009, "count", 1));
        UpstreamException e = assertThrows(UpstreamException.class, () -> wecom.member(someUser));
        assertEquals(UpstreamException.Kind.RATE_LIMITED, e.kind());
        assertTrue(e.retryAfterSeconds() > 0);
        UpstreamException again = assertThrows(UpstreamException.class, () -> wecom.member(someUser));
        assertEquals(45009, again.errcode());
        assertEquals(1, sim.calls(USER_GET, CORP), "the blocked API is not called again during the block");
        assertTrue(wecom.departments().size() > 0, "other APIs go on");
        assertBackoffs();
    }

    @Test
    void definiteAnswersAreResultsNotErrors() {
        assertTrue(wecom.userIdByMobile("13000000000").isEmpty(), "46004: nobody has this mobile");
        assertTrue(wecom.member("nobody-here").isEmpty(), "60111: no such userid");
        sim.fault(Map.of("path", "/cgi-bin/user/list", "errcode", 60123, "count", 1));
        assertTrue(wecom.directMembers(2).isEmpty(), "60123: the department vanished");
        assertEquals(1, sim.calls("/cgi-bin/user/getuserid", CORP));
        assertEquals(1, sim.calls(USER_GET, CORP), "no retries for definite answers");
    }

    @Test
    void aRejectedTokenIsReplacedOnceAndTheCallRetriedOnce() {
        sim.fault(Map.of("path", USER_GET, "errcode", 40014, "count", 1));
        assertTrue(wecom.member(someUser).isPresent());
        assertEquals(2, sim.calls(USER_GET, CORP));
        assertEquals(1, sim.tokensIssued(CORP));

        sim.fault(Map.of("path", USER_GET, "errcode", 42001));
        sim.resetStats();
        UpstreamException e = assertThrows(UpstreamException.class, () -> wecom.member(someUser));
        assertEquals(42001, e.errcode());
        assertEquals(2, sim.calls(USER_GET, CORP), "retried once, not in a loop");
        assertBackoffs();
    }

    @Test
    void configurationErrorsFailAtOnceAndAlertWithTheFix() throws Exception {
        sim.fault(Map.of("path", USER_GET, "errcode", 60020, "count", 1));
        UpstreamException e = assertThrows(UpstreamException.class, () -> wecom.member(someUser));
        assertEquals(UpstreamException.Kind.CONFIGURATION, e.kind());
        assertEquals(1, sim.calls(USER_GET, CORP));
        assertTrue(e.getMessage().contains("trusted IPs"), e.getMessage());
        awaitWebhook(1);
        String text = sim.webhookMessages(robotKey)
                .get(0)
                .path("message")
                .path("text")
                .path("content")
                .asText();
        assertTrue(text.contains("60020") && text.contains("trusted IPs"), text);
        assertEquals(1.0, node.counter("orgsync_alerts_total", "type", "upstream_config"));
    }

    @Test
    void aWrongSecretIsNotRetriedInALoop() {
        WecomClient wrong = new WecomClient(node.client, sim.baseUrl(), CORP, "not-the-secret-0123456789");
        UpstreamException first = assertThrows(UpstreamException.class, wrong::departments);
        assertEquals(40001, first.errcode());
        for (int i = 0; i < 5; i++) {
            assertThrows(UpstreamException.class, wrong::departments);
        }
        assertEquals(
                1,
                sim.calls("/cgi-bin/gettoken", CORP),
                "one gettoken with a wrong secret, not six: repeated ones ban the IP");
        assertFalse(first.getMessage().contains("not-the-secret"), "no secret in messages");
    }

    @Test
    void tooManyConcurrentCallsBacksOffAndRetries() {
        sim.fault(Map.of("path", USER_GET, "errcode", 45033, "count", 1));
        assertTrue(wecom.member(someUser).isPresent());
        assertEquals(2, sim.calls(USER_GET, CORP));
        assertBackoffs(500);
    }

    @Test
    void aDroppedConnectionIsRetried() {
        sim.fault(Map.of("path", USER_GET, "dropConnection", true, "count", 1));
        assertTrue(wecom.member(someUser).isPresent());
        assertEquals(2, sim.calls(USER_GET, CORP));
        assertEquals(1.0, node.counter("orgsync_upstream_calls_total", "api", USER_GET, "errcode", "io"));
        assertBackoffs(200);
    }

    @Test
    void miniProgramErrorsComeBackAsJsonAndCarryTheErrcode() {
        MiniProgramClient app =
                new MiniProgramClient(node.client, sim.baseUrl(), "wx-errcodes", "wx-secret-0123456789", true);
        UpstreamException e = assertThrows(
                UpstreamException.class,
                () -> app.unlimitedCode(new WxaCodeRequest("a", "pages/missing", null, null, null, null)));
        assertEquals(41030, e.errcode());
        assertEquals(UpstreamException.Kind.REFUSED, e.kind());
        assertTrue(app.unlimitedCode(new WxaCodeRequest("a", null, null, null, null, null))
                        .bytes()
                        .length
                > 0);
    }

    @Test
    void callsAreCountedPerApiAndErrcode() {
        sim.fault(Map.of("path", USER_GET, "errcode", -1, "count", 1));
        wecom.member(someUser);
        assertEquals(1.0, node.counter("orgsync_upstream_calls_total", "api", USER_GET, "errcode", "-1"));
        assertEquals(2.0, node.counter("orgsync_upstream_calls_total", "api", USER_GET, "errcode", "0"));
    }

    @Test
    void theNodeRateLimitHoldsAcrossThreads() throws Exception {
        UpstreamNode slow = new UpstreamNode("rated", dbUrl, new MutableClock(), null, Duration.ofSeconds(5), 20);
        try {
            WecomClient client = new WecomClient(slow.client, sim.baseUrl(), CORP, SECRET);
            client.departments();
            sim.resetStats();
            long start = System.nanoTime();
            Thread[] threads = new Thread[8];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    for (int i = 0; i < 6; i++) {
                        client.member(someUser);
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(48, sim.calls(USER_GET, CORP));
            // the limiter grants permits 50 ms apart, so 48 calls cannot take less than 47 x 50 ms.
            // (The simulator's per-second counts see arrival times, which a loaded machine bunches:
            // they are a poor witness for a node-side limit and are not asserted here.)
            assertTrue(elapsedMillis >= 2_300, "48 calls at 20/s took only " + elapsedMillis + " ms");
        } finally {
            slow.close();
        }
    }

    private void awaitWebhook(int count) throws InterruptedException {
        for (int i = 0; i < 100 && sim.webhookMessages(robotKey).size() < count; i++) {
            Thread.sleep(20);
        }
        assertEquals(
                count,
                sim.webhookMessages(robotKey).size(),
                sim.webhookMessages(robotKey).toString());
    }
}
