package io.orgsync.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orgsync.alert.Alerts;
import io.orgsync.store.Database;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestWaiter;
import io.orgsync.time.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A resolve finding the rest of the day's budget held by resolves in flight polls for a unit
 * for up to {@link ResolveBudget#MAX_WAIT}, on its {@link Waiter}: driven by a {@link TestWaiter}
 * here, so the three seconds cost nothing and every poll is seen.
 */
class ResolveBudgetWaitTest {
    private static final String CORP = "ww-budget-wait";
    private static final int BUDGET = 2;

    private final MutableClock clock = new MutableClock();
    private final List<String> outcomes = new ArrayList<>();
    private Database db;
    private Alerts alerts;

    @BeforeEach
    void alerts() {
        alerts = new Alerts(clock, new SimpleMeterRegistry(), List.of(), "test/budget-wait");
    }

    @AfterEach
    void close() {
        alerts.close();
        if (db != null) {
            db.close();
        }
    }

    private ResolveStore store(String dialect) {
        String url = TestDatabases.url(dialect, "resolve_budget_wait");
        db = Database.open(url, TestDatabases.user(url), TestDatabases.password(url), false, "budget-wait", 2);
        db.migrate();
        return new ResolveStore(db.dataSource());
    }

    private ResolveBudget budget(ResolveStore store, Waiter waiter) {
        return new ResolveBudget(store, alerts, clock, waiter, 0.1, "node-a", Duration.ofMinutes(5), outcomes::add);
    }

    /** Units another node holds until {@code expiresAt}, as resolves in flight leave them. */
    private long[] holdAll(ResolveStore store) throws Exception {
        long now = clock.millis();
        long[] ids = new long[BUDGET];
        for (int i = 0; i < BUDGET; i++) {
            OptionalLong id = store.reserve(
                            CORP,
                            today(),
                            BUDGET,
                            "node-b",
                            now,
                            now + Duration.ofMinutes(5).toMillis())
                    .id();
            ids[i] = id.getAsLong();
        }
        return ids;
    }

    private String today() {
        return LocalDate.ofInstant(Instant.ofEpochMilli(clock.millis()), ResolveBudget.CHINA)
                .toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aBudgetHeldInFlightIsRefusedAfterTheMaximumWaitPolledEvery100Ms(String dialect) throws Exception {
        ResolveStore store = store(dialect);
        holdAll(store);
        TestWaiter waiter = new TestWaiter();

        BudgetExhaustedException e = assertThrows(
                BudgetExhaustedException.class, () -> budget(store, waiter).reserve(CORP, BUDGET));

        assertEquals(ResolveBudget.MAX_WAIT.toMillis() / 100, waiter.sleeps().size(), waiter.sleeps()::toString);
        assertTrue(waiter.sleeps().stream().allMatch(Duration.ofMillis(100)::equals), waiter.sleeps()::toString);
        assertEquals(2, e.retryAfterSeconds(), "held units come back within seconds");
        assertTrue(e.getMessage().contains("held by 2 resolves in flight"), e.getMessage());
        assertEquals(List.of("budget_held"), outcomes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aUnitGivenBackWhileWaitingIsTaken(String dialect) throws Exception {
        ResolveStore store = store(dialect);
        long[] held = holdAll(store);
        TestWaiter time = new TestWaiter();
        List<Long> polls = new ArrayList<>();
        // the fifth poll sees a resolve in flight finish: its unit goes back
        Waiter waiter = new Waiter() {
            @Override
            public long nanoTime() {
                return time.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                time.sleepNanos(nanos);
                polls.add(nanos);
                if (polls.size() == 5) {
                    try {
                        store.release(held[0]);
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };

        ResolveBudget.Unit unit = budget(store, waiter).reserve(CORP, BUDGET);

        assertEquals(5, polls.size());
        assertEquals(Duration.ofMillis(500), time.elapsed());
        assertEquals(List.of(), outcomes);
        unit.notFound("19900000001", clock.millis() + Duration.ofDays(1).toMillis());
        assertEquals(1, store.failures(CORP, today()));
    }
}
