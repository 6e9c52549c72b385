package io.orgsync.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orgsync.alert.Alerts;
import io.orgsync.store.Database;
import io.orgsync.testing.ManualClock;
import io.orgsync.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When a refusal becomes a hold on a key's row: the doubling hold of a refused credential, the
 * hold of a 45009 block, one alert per streak. The row lives in an in-memory H2 (the hold is a
 * row write); the clock stands still, so every hold length is exact.
 */
class HoldRulesTest {
    private static final String OWNER = "node-a";
    private static Database db;
    private static TokenStore store;

    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final LocalTokens local = new LocalTokens();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final Alerts alerts = new Alerts(clock, metrics, List.of(), "test");
    private final HoldRules rules =
            new HoldRules(store, OWNER, clock, local, new PendingWrites(clock, ticker), alerts, metrics);
    private static final AtomicInteger KEYS = new AtomicInteger();
    private final TokenKey key = TokenKey.wecom("wwcorp" + KEYS.incrementAndGet(), "the-secret");

    @BeforeAll
    static void database() {
        String url = TestDatabases.h2("hold_rules");
        db = Database.open(url, TestDatabases.user(url), TestDatabases.password(url), false, "hold-rules", 2);
        db.migrate();
        store = new TokenStore(db.dataSource());
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @AfterEach
    void stopTicker() {
        ticker.shutdownNow();
        alerts.close();
    }

    private final TokenSource source = new TokenSource() {
        @Override
        public TokenKey key() {
            return key;
        }

        @Override
        public Fetched fetch() {
            throw new UnsupportedOperationException("the tests hand HoldRules their own fetch");
        }
    };

    /** The key's row as this node sees it while holding the lease, with {@code failCount} refusals so far. */
    private TokenRow leasedRow(int failCount) throws Exception {
        store.ensureRow(key.id());
        assertTrue(store.tryLease(key.id(), OWNER, clock.millis(), clock.millis() + 30_000));
        TokenRow row = store.find(key.id()).orElseThrow();
        return new TokenRow(
                null, null, null, row.version(), OWNER, row.leaseUntil(), null, failCount, null, null, null, 0);
    }

    private Hold refusedWith(TokenRow row, TokenFetchException refusal) {
        return assertThrows(
                        HeldException.class,
                        () -> rules.fetchOrHold(source, row, () -> {
                            throw refusal;
                        }))
                .hold;
    }

    private static TokenFetchException wrongSecret() {
        return new TokenFetchException("WeCom rejected the secret (40001)", 40001, true, null);
    }

    private double alertsRaised() {
        return metrics.counter("orgsync_alerts_total", "type", "upstream_config")
                        .count()
                + metrics.counter("orgsync_alerts_suppressed_total", "type", "upstream_config")
                        .count();
    }

    private double fetches(String outcome) {
        return metrics.counter("orgsync_token_fetches_total", "kind", "WECOM", "outcome", outcome)
                .count();
    }

    @Test
    void aRowWithoutHoldIsObeyedSilently() throws Exception {
        rules.obey(key.id(), leasedRow(0), clock.millis());
        assertNull(local.activeHold(key.id(), clock.millis()));
    }

    @Test
    void anActiveHoldOnTheRowIsRefusedAndRememberedLocally() throws Exception {
        Hold hold = new Hold(Hold.Kind.CONFIG, clock.millis() + 60_000, 40001, "wrong secret");
        TokenRow row = withHold(leasedRow(1), hold);

        HeldException e = assertThrows(HeldException.class, () -> rules.obey(key.id(), row, clock.millis()));

        assertSame(hold, e.hold);
        assertSame(hold, local.activeHold(key.id(), clock.millis()));
    }

    @Test
    void aHoldThatHasEndedIsNoLongerObeyed() throws Exception {
        Hold hold = new Hold(Hold.Kind.BLOCKED, clock.millis() + 1_000, 45009, "blocked");
        TokenRow row = withHold(leasedRow(0), hold);
        clock.advance(Duration.ofSeconds(1));

        rules.obey(key.id(), row, clock.millis());
    }

    private static TokenRow withHold(TokenRow r, Hold hold) {
        return new TokenRow(
                r.value(),
                r.expiresAt(),
                r.refreshAt(),
                r.version(),
                r.leaseOwner(),
                r.leaseUntil(),
                hold,
                r.failCount(),
                r.rejectedHash(),
                r.forceAt(),
                r.forceDay(),
                r.forceCount());
    }

    @Test
    void aSuccessfulFetchIsReturnedAndCounted() throws Exception {
        TokenSource.Fetched fetched = new TokenSource.Fetched("tok", 7200);

        assertSame(fetched, rules.fetchOrHold(source, leasedRow(0), () -> fetched));
        assertEquals(1, fetches("ok"));
    }

    @Test
    void theFirstRefusalHoldsTheKeyForAMinuteForTheWholeCluster() throws Exception {
        long now = clock.millis();
        Hold hold = refusedWith(leasedRow(0), wrongSecret());

        assertEquals(Hold.Kind.CONFIG, hold.kind());
        assertEquals(now + 60_000, hold.until());
        assertEquals(40001, hold.errcode());
        TokenRow stored = store.find(key.id()).orElseThrow();
        assertEquals(hold.until(), stored.hold().until());
        assertEquals(1, stored.failCount());
        assertNull(stored.leaseOwner(), "the lease is given back with the hold");
        assertSame(hold, local.activeHold(key.id(), now));
        assertEquals(1, fetches("error"));
    }

    @ParameterizedTest(name = "after {0} refusal(s) the next holds {1} min")
    @CsvSource({"0, 1", "1, 2", "2, 4", "3, 8", "4, 16", "5, 32", "6, 60", "7, 60", "30, 60", "100, 60"})
    void aCredentialThatStaysRefusedIsHeldTwiceAsLongEachTimeUpToAnHour(int failuresBefore, long minutes)
            throws Exception {
        Hold hold = refusedWith(leasedRow(failuresBefore), wrongSecret());

        assertEquals(Duration.ofMinutes(minutes).toMillis(), hold.until() - clock.millis());
        assertEquals(failuresBefore + 1, store.find(key.id()).orElseThrow().failCount());
    }

    @Test
    void theFirstRefusalOfAStreakRaisesOneAlert() throws Exception {
        refusedWith(leasedRow(0), wrongSecret());

        assertEquals(
                1,
                metrics.counter("orgsync_alerts_total", "type", "upstream_config")
                        .count());
    }

    @Test
    void aRefusalLaterInTheStreakRaisesNoAlert() throws Exception {
        refusedWith(leasedRow(2), wrongSecret());

        assertEquals(0, alertsRaised());
    }

    @Test
    void aBlockHoldsTheKeyForAsLongAsTheUpstreamSaid() throws Exception {
        long now = clock.millis();
        Hold hold =
                refusedWith(leasedRow(3), new TokenFetchException("gettoken blocked (45009)", 45009, false, 90, null));

        assertEquals(Hold.Kind.BLOCKED, hold.kind());
        assertEquals(now + 90_000, hold.until());
        assertEquals(3, store.find(key.id()).orElseThrow().failCount(), "a block is no refused credential");
        assertEquals(0, alertsRaised());
    }

    @Test
    void aPassingFailureIsRethrownWithoutHold() throws Exception {
        TokenFetchException busy = new TokenFetchException("system busy (-1)", -1, false, null);
        TokenRow row = leasedRow(0);

        TokenFetchException e = assertThrows(
                TokenFetchException.class,
                () -> rules.fetchOrHold(source, row, () -> {
                    throw busy;
                }));

        assertSame(busy, e);
        assertNull(local.activeHold(key.id(), clock.millis()));
        assertNull(store.find(key.id()).orElseThrow().hold());
    }

    @Test
    void aHoldDecidedWhileTheDatabaseIsGoneIsObeyedLocallyAtOnce() throws Exception {
        TokenRow row = leasedRow(0);
        String url = TestDatabases.h2("hold_rules_gone");
        Database gone = Database.open(url, TestDatabases.user(url), TestDatabases.password(url), false, "gone", 1);
        TokenStore unreachable = new TokenStore(gone.dataSource());
        gone.close();
        HoldRules offline =
                new HoldRules(unreachable, OWNER, clock, local, new PendingWrites(clock, ticker), alerts, metrics);

        Hold hold = assertThrows(
                        HeldException.class,
                        () -> offline.fetchOrHold(source, row, () -> {
                            throw wrongSecret();
                        }))
                .hold;

        assertEquals(clock.millis() + 60_000, hold.until());
        assertSame(hold, local.activeHold(key.id(), clock.millis()), "this node refuses without the database");
    }

    @Test
    void aNodeThatLostItsLeaseStillRefusesLocallyButWritesNoHold() throws Exception {
        TokenRow row = leasedRow(0);
        store.release(key.id(), OWNER);

        Hold hold = refusedWith(row, wrongSecret());

        assertSame(hold, local.activeHold(key.id(), clock.millis()));
        assertNull(store.find(key.id()).orElseThrow().hold());
    }
}
