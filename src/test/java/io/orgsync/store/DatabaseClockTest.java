package io.orgsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.testing.MutableClock;
import io.orgsync.testing.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The database's clock on each supported database, read through a node's wall clock that is off:
 * the measured offset is the wall clock's error, whatever the session's time zone, and the clock
 * answers the database's time. The databases here run on this machine, so their time is the
 * JVM's own {@code System.currentTimeMillis()} to within the query's round trip.
 */
class DatabaseClockTest {
    /** The round trip on this machine plus the databases' millisecond precision; far below the 2 s reported. */
    private static final long TOLERANCE_MS = 500;

    /** Each database, once also with a session time zone far from UTC (and from the JVM's). */
    private static String url(String kind) {
        return switch (kind) {
            case "h2" -> TestDatabases.h2("clock");
            case "h2-regular" -> TestDatabases.h2("clock_regular") + ";MODE=REGULAR";
            case "h2-zone" -> TestDatabases.h2("clock_zone") + ";TIME ZONE=Pacific/Kiritimati";
            case "mariadb" -> TestDatabases.mariadb("clock");
            case "mariadb-zone" -> TestDatabases.mariadb("clock_zone") + "?sessionVariables=time_zone='-09:30'";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Database open(String url) {
        return Database.open(url, TestDatabases.user(url), TestDatabases.password(url), false, "clock", 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "h2-regular", "h2-zone", "mariadb", "mariadb-zone"})
    void theOffsetIsTheWallClocksErrorAndTheClockAnswersTheDatabasesTime(String kind) throws Exception {
        try (Database db = open(url(kind))) {
            try (Connection c = db.connection()) {
                long database = db.dialect().currentTimeMillis(c);
                assertTrue(
                        Math.abs(database - System.currentTimeMillis()) < TOLERANCE_MS,
                        kind + ": the database says " + database + ", this machine " + System.currentTimeMillis());
                if (kind.endsWith("-zone")) {
                    int localHour = Sql.one(c, "SELECT EXTRACT(HOUR FROM CURRENT_TIMESTAMP)", rs -> rs.getInt(1))
                            .orElseThrow();
                    int utcHour = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                            .getHour();
                    assertTrue(localHour != utcHour, kind + ": the session's time zone is not UTC's");
                }
            }
            for (Duration off : new Duration[] {Duration.ofSeconds(20), Duration.ofMillis(-7_300), Duration.ZERO}) {
                MutableClock wall = new MutableClock();
                wall.skew(off);
                DatabaseClock clock = new DatabaseClock(db.dataSource(), wall, () -> 0);
                assertEquals(wall.millis(), clock.millis(), 50, "before the first measurement it is the wall clock");
                DatabaseClock.Reading reading = clock.measure();
                String what = kind + ", wall clock " + off + ": " + reading;
                assertTrue(Math.abs(reading.skewMillis() - off.toMillis()) < TOLERANCE_MS, what);
                assertEquals(!off.isZero(), reading.skewed(), what);
                assertTrue(Math.abs(clock.millis() - System.currentTimeMillis()) < TOLERANCE_MS, what);
                assertEquals(reading, clock.reading().orElseThrow());
                assertTrue(reading.roundTripMillis() >= 0 && reading.roundTripMillis() < TOLERANCE_MS, what);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void timeATestMovesForTheWholeClusterMovesTheDatabasesTimeToo(String kind) throws Exception {
        try (Database db = open(url(kind))) {
            MutableClock wall = new MutableClock();
            DatabaseClock clock = new DatabaseClock(db.dataSource(), wall, wall::advancedMillis);
            clock.measure();
            wall.advance(Duration.ofMinutes(10));
            long expected = System.currentTimeMillis() + Duration.ofMinutes(10).toMillis();
            assertTrue(Math.abs(clock.millis() - expected) < TOLERANCE_MS, "at once, between measurements");
            DatabaseClock.Reading reading = clock.measure();
            assertFalse(reading.skewed(), reading.toString());
            assertTrue(Math.abs(clock.millis() - expected) < TOLERANCE_MS, "and measured again: " + reading);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aWallClockSteppedBetweenMeasurementsChangesNothingUntilTheNextReportsIt(String kind) throws Exception {
        try (Database db = open(url(kind))) {
            MutableClock wall = new MutableClock();
            DatabaseClock clock = new DatabaseClock(db.dataSource(), wall, () -> 0);
            assertFalse(clock.measure().skewed());
            // NTP steps the wall clock 20 s forward, or back: the database's time does not jump with it
            for (Duration step : new Duration[] {Duration.ofSeconds(20), Duration.ofSeconds(-40)}) {
                wall.skew(step);
                assertTrue(
                        Math.abs(clock.millis() - System.currentTimeMillis()) < TOLERANCE_MS,
                        kind + ": after a step of " + step + " the clock says " + clock.instant());
            }
            DatabaseClock.Reading reading = clock.measure();
            assertTrue(Math.abs(reading.skewMillis() + 20_000) < TOLERANCE_MS, "now 20 s behind: " + reading);
            assertTrue(Math.abs(clock.millis() - System.currentTimeMillis()) < TOLERANCE_MS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aMeasurementTooSlowToTellASkewDoesNotReplaceTheOneInForce(String kind) throws Exception {
        try (Database db = open(url(kind))) {
            AtomicLong stall = new AtomicLong();
            // a monotonic time that jumps 3 s while the query runs: a 3 s round trip
            LongSupplier nanos = () -> System.nanoTime() + stall.getAndSet(0);
            MutableClock wall = new MutableClock();
            DatabaseClock clock = new DatabaseClock(db.dataSource(), wall, () -> 0, nanos);
            DatabaseClock.Reading good = clock.measure();
            stall.set(-3_000_000_000L); // the reading before the query is 3 s early
            wall.skew(Duration.ofSeconds(5));
            DatabaseClock.Reading slowOne = clock.measure();
            assertTrue(slowOne.roundTripMillis() >= 2_900, slowOne.toString());
            assertEquals(good, clock.reading().orElseThrow(), "the slow reading is not in force");
            assertTrue(Math.abs(clock.millis() - System.currentTimeMillis()) < TOLERANCE_MS);
        }
    }
}
