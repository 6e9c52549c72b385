package io.orgsync.resolve;

import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.time.Waiter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * An enterprise's daily budget of "not found" answers, reserved unit by unit in the database
 * before getuserid is called, so that the resolves of every node together never pass it. A unit
 * is given back when the number is found or the call fails, becomes a failure when WeCom says
 * "not found", and is freed by expiry when its node died holding it.
 */
final class ResolveBudget {
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    /**
     * How long a resolve may wait for a unit that resolves in flight hold (those that find their
     * number give it back) before it is refused, with a short time to retry after.
     */
    static final Duration MAX_WAIT = Duration.ofSeconds(3);

    private static final Duration POLL = Duration.ofMillis(100);
    private static final long HELD_RETRY_AFTER_SECONDS = 2;

    private final ResolveStore store;
    private final Alerts alerts;
    private final Clock clock;
    private final Waiter waiter;
    private final double ratio;
    private final String instanceId;
    private final Duration lease;
    private final Consumer<String> outcomes;

    ResolveBudget(
            ResolveStore store,
            Alerts alerts,
            Clock clock,
            Waiter waiter,
            double ratio,
            String instanceId,
            Duration lease,
            Consumer<String> outcomes) {
        this.store = store;
        this.alerts = alerts;
        this.clock = clock;
        this.waiter = waiter;
        this.ratio = ratio;
        this.instanceId = instanceId;
        this.lease = lease;
        this.outcomes = outcomes;
    }

    /** One reserved unit of a day's budget. */
    final class Unit {
        private final long id;
        private final String corpId;
        private final String day;

        private Unit(long id, String corpId, String day) {
            this.id = id;
            this.corpId = corpId;
            this.day = day;
        }

        /** The number was found, or the call failed without a "not found": WeCom counted no failure. */
        void release() throws SQLException {
            store.release(id);
        }

        /** WeCom said "not found": one failure of the day, and the number remembered until {@code missExpiresAt}. */
        void notFound(String mobile, long missExpiresAt) throws SQLException {
            store.settleNotFound(id, corpId, day, mobile, missExpiresAt);
        }
    }

    /** The day's budget for an enterprise with this many active members: the ratio of them, at least one. */
    int of(int activeMembers) {
        return (int) Math.max(1, Math.floor(ratio * activeMembers));
    }

    /**
     * Throws {@link BudgetExhaustedException} when the day's failures alone spend the budget: a cheap
     * read that answers before the rate is touched (the reservation is what guards WeCom).
     */
    void checkNotSpent(String corpId, int budget) throws SQLException {
        long now = clock.millis();
        if (store.failures(corpId, day(now)) >= budget) {
            throw spent(corpId, budget, now);
        }
    }

    /** Reserves one unit, waiting up to {@link #MAX_WAIT} while resolves in flight hold the rest. */
    Unit reserve(String corpId, int budget) throws SQLException, InterruptedException {
        long deadline = waiter.nanoTime() + MAX_WAIT.toNanos();
        while (true) {
            long now = clock.millis();
            String day = day(now);
            ResolveStore.Reservation r = store.reserve(corpId, day, budget, instanceId, now, now + lease.toMillis());
            if (r.granted()) {
                return new Unit(r.id().getAsLong(), corpId, day);
            }
            if (r.failures() >= budget) {
                throw spent(corpId, budget, now);
            }
            if (waiter.nanoTime() - deadline >= 0) {
                outcomes.accept("budget_held");
                throw new BudgetExhaustedException(
                        "the rest of today's resolve budget of " + corpId + " (" + budget + " unknown numbers, "
                                + r.failures() + " used) is held by " + r.held()
                                + " resolves in flight; retry in a few seconds",
                        HELD_RETRY_AFTER_SECONDS);
            }
            waiter.sleep(POLL);
        }
    }

    private BudgetExhaustedException spent(String corpId, int budget, long now) {
        outcomes.accept("budget_exhausted");
        alerts.raise(
                new Alert(
                        "resolve_budget",
                        corpId,
                        "Real-time resolves of " + corpId + " used today's budget of " + budget
                                + " 'not found' answers (ORGSYNC_RESOLVE_BUDGET_RATIO " + ratio
                                + " of its members); further resolves are "
                                + "refused until midnight China time so that WeCom does not block getuserid for the day. Check the caller sending unknown numbers."));
        return new BudgetExhaustedException(
                "today's resolve budget of " + corpId + " is spent (" + budget
                        + " unknown numbers); lookups still work, resolves resume at midnight China time",
                secondsToMidnight(now));
    }

    private static String day(long now) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(now), CHINA).toString();
    }

    private static long secondsToMidnight(long now) {
        Instant midnight = LocalDate.ofInstant(Instant.ofEpochMilli(now), CHINA)
                .plusDays(1)
                .atStartOfDay(CHINA)
                .toInstant();
        return Math.max(1, (midnight.toEpochMilli() - now) / 1000);
    }
}
