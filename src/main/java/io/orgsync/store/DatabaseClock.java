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
 * The cluster's one clock: the database's time, as this node keeps it. Every time a node stores
 * for others to compare (heartbeats, run progress, leases, expiries, holds, alert windows) and
 * every comparison with such a time is taken from here, so a node whose wall clock is off (NTP
 * stopped) neither takes a live node for dead nor holds a lease too long (docs/guarantees.md,
 * "Time").
 *
 * <p>At start-up and at every heartbeat ({@link #measure}) it asks the database for its time
 * ({@link Dialect#currentTimeMillis}) and takes it as the time at the midpoint of the query's
 * round trip, so its error is at most half the round trip. Between measurements it counts on
 * from there with the monotonic {@link System#nanoTime}, not the wall clock: a wall clock
 * stepped meanwhile (NTP correcting it, a resumed VM) changes nothing. The wall clock serves only
 * to report how far it is off ({@link Reading#skewMillis}); before the first measurement, and
 * while none has succeeded, the clock answers the wall clock.
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

    /** The reading in force, and the database's time (without a test's shift) at a monotonic instant. */
    private record Anchor(Reading reading, long databaseMillis, long nanos) {}

    private final DataSource ds;
    private final Dialect dialect;
    private final Clock wall;
    private final LongSupplier shift;
    private final LongSupplier nanos;
    private volatile Anchor anchor;

    /**
     * {@code shift}: how far a test has moved time forward for the whole cluster (milliseconds,
     * added to the database's time as read here); always 0 outside tests.
     */
    public DatabaseClock(DataSource ds, Clock wall, LongSupplier shift) {
        this(ds, wall, shift, System::nanoTime);
    }

    DatabaseClock(DataSource ds, Clock wall, LongSupplier shift, LongSupplier nanos) {
        this.ds = ds;
        this.dialect = Dialect.of(ds);
        this.wall = wall;
        this.shift = shift;
        this.nanos = nanos;
    }

    /**
     * Asks the database for its time and sets the clock by it. A reading whose round trip is
     * longer than {@link #REPORTED_SKEW} cannot tell such a skew: it is returned but does not
     * replace an earlier one.
     */
    public Reading measure() throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (int attempt = 1; ; attempt++) {
                long shifted = shift.getAsLong();
                long wallBefore = wall.millis();
                long before = nanos.getAsLong();
                long database = dialect.currentTimeMillis(c);
                long after = nanos.getAsLong();
                long wallAfter = wall.millis();
                if (shift.getAsLong() != shifted && attempt < ATTEMPTS) {
                    continue;
                }
                long roundTrip = (after - before) / 1_000_000;
                Reading reading = new Reading(
                        wallBefore + (wallAfter - wallBefore) / 2 - (database + shifted),
                        roundTrip,
                        database + shifted);
                if (anchor == null || roundTrip <= REPORTED_SKEW.toMillis()) {
                    anchor = new Anchor(reading, database, before + (after - before) / 2);
                }
                return reading;
            }
        }
    }

    /** The last measurement in force; empty until one succeeded. */
    public Optional<Reading> reading() {
        Anchor a = anchor;
        return a == null ? Optional.empty() : Optional.of(a.reading());
    }

    @Override
    public long millis() {
        Anchor a = anchor;
        if (a == null) {
            return wall.millis();
        }
        return a.databaseMillis() + (nanos.getAsLong() - a.nanos()) / 1_000_000 + shift.getAsLong();
    }
}
