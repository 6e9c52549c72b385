package io.orgsync.testing;

import io.orgsync.time.MillisClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that stands still until the test moves it: for unit tests of rules that compare
 * instants, where even a millisecond of wall time passing between two calls must not matter.
 * Tests with nodes, threads or a simulator want {@link MutableClock}, which runs with the wall.
 */
public final class ManualClock extends MillisClock {
    private final AtomicLong now;

    public ManualClock(long startMillis) {
        this.now = new AtomicLong(startMillis);
    }

    /** Starts at an arbitrary fixed instant (2026-01-01T00:00:00Z). */
    public ManualClock() {
        this(1_767_225_600_000L);
    }

    public void advance(Duration d) {
        now.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
        return now.get();
    }
}
