package io.orgsync.store;

import io.orgsync.time.MillisClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * The cluster's one clock: the database's time, as this node reads it through its own wall
 * clock. Every time a node stores for others to compare (heartbeats, run progress, leases,
 * expiries, holds, alert windows) and every comparison with such a time is taken from here, so
 * a node whose wall clock is off (NTP stopped) neither takes a live node for dead nor holds a
 * lease too long (docs/guarantees.md, "Time").
 *
 * <p>It answers the wall clock plus an offset, measured at start-up and at every heartbeat
 * ({@link #measure}): the database's {@link Dialect#currentTimeMillis} against the midpoint of
 * the wall clock's readings before and after the query, so the error is at most half the round
 * trip. Between measurements it runs at the wall clock's pace; a database that cannot be asked
 * leaves the last offset in force.
 */
public final class DatabaseClock extends MillisClock {
    /** A node's wall clock further than this from the database's is reported (health, log, alert, metric). */
    public static final Duration REPORTED_SKEW = Duration.ofSeconds(2);

    /** A measurement taken while a test moved the time is taken again, this many times at most. */
    private static final int ATTEMPTS = 3;

    /**
     * One measurement: how far the wall clock is ahead of the database's ({@code skewMillis},
     * negative when behind), the query's round trip, and the database's time it was taken at.
     */
    public record Reading(long skewMillis, long roundTripMillis, long at) {
        public boolean skewed() {
            return Math.abs(skewMillis) > REPORTED_SKEW.toMillis();
        }
    }

    private final DataSource ds;
    private final Dialect dialect;
    private final Clock wall;
    private final LongSupplier shift;
    private volatile Reading last;

    /**
     * {@code shift}: how far a test has moved time forward for the whole cluster (milliseconds,
     * added to the database's time as read here); always 0 outside tests.
     */
    public DatabaseClock(DataSource ds, Clock wall, LongSupplier shift) {
        this.ds = ds;
        this.dialect = Dialect.of(ds);
        this.wall = wall;
        this.shift = shift;
    }

    /**
     * Asks the database for its time and corrects the offset. A reading whose round trip is longer
     * than {@link #REPORTED_SKEW} cannot tell such a skew: it is returned but does not replace an
     * earlier one.
     */
    public Reading measure() throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (int attempt = 1; ; attempt++) {
                long shifted = shift.getAsLong();
                long before = wall.millis();
                long database = dialect.currentTimeMillis(c) + shifted;
                long after = wall.millis();
                if (shift.getAsLong() != shifted && attempt < ATTEMPTS) {
                    continue;
                }
                Reading reading = new Reading(before + (after - before) / 2 - database, after - before, database);
                if (last == null || reading.roundTripMillis() <= REPORTED_SKEW.toMillis()) {
                    last = reading;
                }
                return reading;
            }
        }
    }

    /** The last measurement in force; empty until one succeeded. */
    public Optional<Reading> reading() {
        return Optional.ofNullable(last);
    }

    @Override
    public long millis() {
        Reading r = last;
        return wall.millis() - (r == null ? 0 : r.skewMillis());
    }
}
