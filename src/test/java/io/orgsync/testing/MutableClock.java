package io.orgsync.testing;

import io.orgsync.time.MillisClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wall clock plus offsets a test moves. {@link #advance} makes time pass for the whole
 * cluster, in step with the simulator's clock: a node started with this clock ({@link TestNode})
 * reads the database's time moved by as much. {@link #skew} puts this clock alone ahead (or
 * behind), as a node whose NTP is off: the database's time does not move with it.
 */
public final class MutableClock extends MillisClock {
    private final AtomicLong advanced = new AtomicLong();
    private final AtomicLong skew = new AtomicLong();

    public void advance(Duration d) {
        advanced.addAndGet(d.toMillis());
    }

    public void skew(Duration d) {
        skew.addAndGet(d.toMillis());
    }

    /** How far {@link #advance} has moved time for everybody, in milliseconds. */
    public long advancedMillis() {
        return advanced.get();
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + advanced.get() + skew.get();
    }
}
