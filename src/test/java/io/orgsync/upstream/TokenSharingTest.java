package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.orgsync.store.Database;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.UpstreamNode;
import io.orgsync.token.Token;
import io.orgsync.token.TokenHolder;
import io.orgsync.wecom.WecomClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several nodes, each with its own pool, share one token per secret through MariaDB. */
class TokenSharingTest {
    private static final String CORP = "ww-share";
    private static final String SECRET = "share-secret-0123456789";
    private static SimulatorControl sim;
    private static String dbUrl;
    private final MutableClock clock = new MutableClock();
    private final List<UpstreamNode> nodes = new ArrayList<>();

    @BeforeAll
    static void startSimulatorAndDatabase() {
        dbUrl = TestDatabases.mariadb("token_sharing");
        try (Database db =
                Database.open(dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl), false, "migrate", 2)) {
            db.migrate();
        }
        sim = new SimulatorControl();
        sim.createCorp(CORP, SECRET, 5, 50, true);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void startNodes() throws Exception {
        try (Database db = Database.open(
                        dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl), false, "wipe", 1);
                var c = db.connection();
                var s = c.createStatement()) {
            s.execute("DELETE FROM upstream_token");
        }
        for (int i = 1; i <= 3; i++) {
            nodes.add(new UpstreamNode("node" + i, dbUrl, clock, null, Duration.ofSeconds(10), 10_000));
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (UpstreamNode n : nodes) {
            n.close();
        }
        sim.clearFaults();
    }

    private WecomClient wecom(UpstreamNode node) {
        return new WecomClient(node.client, sim.baseUrl(), CORP, SECRET);
    }

    @Test
    void threeNodesRecoverFromAnInvalidatedTokenWithOneFetch() throws Exception {
        for (UpstreamNode n : nodes) {
            wecom(n).departments();
        }
        assertEquals(1, sim.tokensIssued(CORP), "one token for the whole cluster");

        sim.invalidateTokens(CORP);
        sim.resetStats();
        ExecutorService pool = Executors.newFixedThreadPool(60);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                WecomClient client = wecom(nodes.get(i % 3));
                calls.add(pool.submit(
                        (Callable<Integer>) () -> client.departments().size()));
            }
            for (Future<Integer> f : calls) {
                assertEquals(5, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(
                1, sim.tokensIssued(CORP), "300 calls on 3 nodes after an invalidation fetch exactly one new token");
    }

    @Test
    void twoNodesRejectingTheSameTokenFetchOnceAndKeepTheNewOne() throws Exception {
        WecomClient a = wecom(nodes.get(0));
        WecomClient b = wecom(nodes.get(1));
        a.departments();
        b.departments();
        TokenHolder holderA = nodes.get(0).tokens;
        TokenHolder holderB = nodes.get(1).tokens;
        var source = a.tokenSource();
        String first = holderA.token(source).value();
        assertEquals(first, holderB.token(source).value());

        sim.invalidateTokens(CORP);
        sim.resetStats();
        // A replaces the rejected token; B, rejecting the same token later, must adopt A's
        Token fromA = holderA.replaceRejected(source, first);
        Token fromB = holderB.replaceRejected(source, first);
        assertNotEquals(first, fromA.value());
        assertEquals(fromA.value(), fromB.value(), "B uses the token A stored instead of wiping it");
        assertEquals(1, sim.tokensIssued(CORP));

        // and both at the same moment, with a slow gettoken so that they overlap
        sim.invalidateTokens(CORP);
        sim.resetStats();
        sim.fault(Map.of("path", "/cgi-bin/gettoken", "latencyMs", 300, "count", 5));
        String rejected = fromA.value();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Token> x = pool.submit(() -> holderA.replaceRejected(source, rejected));
            Future<Token> y = pool.submit(() -> holderB.replaceRejected(source, rejected));
            assertEquals(x.get().value(), y.get().value());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, sim.tokensIssued(CORP), "simultaneous rejections on two nodes fetch once");
        assertEquals(List.of(5), List.of(a.departments().size()));
        assertEquals(0, sim.stats().path("errors").path("40014").asLong(0), "the new token works on both nodes");
    }

    @Test
    void aTokenNearExpiryIsRenewedBeforeAnyCallFails() throws Exception {
        WecomClient client = wecom(nodes.get(0));
        client.departments();
        sim.resetStats();
        // 6,500 s later the token is due for renewal (900 s ahead) but still valid upstream
        clock.advance(Duration.ofSeconds(6_500));
        sim.advanceClock(6_500);
        client.departments();
        for (int i = 0; i < 100 && sim.tokensIssued(CORP) == 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(1, sim.tokensIssued(CORP), "renewed in the background");
        // past the old token's expiry every node uses the new one
        clock.advance(Duration.ofSeconds(800));
        sim.advanceClock(800);
        for (UpstreamNode n : nodes) {
            assertEquals(5, wecom(n).departments().size());
        }
        assertEquals(
                0,
                sim.stats().path("errors").size(),
                "no call failed: " + sim.stats().path("errors"));
        assertEquals(1, sim.tokensIssued(CORP));
    }
}
