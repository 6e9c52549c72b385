package io.orgsync.testing;

import io.orgsync.time.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Waiter} whose time moves only when something waits on it: a sleep returns at once,
 * having moved the time forward by its length (and the test's {@link MutableClock} with it, in
 * whole milliseconds, when one is given), and is recorded, so that a test sees every wait
 * exactly and spends none of them. Meant for one thread at a time: sleeps from several threads
 * would add up.
 */
public final class TestWaiter implements Waiter {
    private final MutableClock clock;
    private final List<Long> sleeps = new ArrayList<>();
    private long nanos = 1_000_000_000L;
    private long clockMillis;

    public TestWaiter() {
        this(null);
    }

    public TestWaiter(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        synchronized (this) {
            sleeps.add(nanos);
        }
        if (nanos > 0) {
            advance(nanos);
        }
    }

    /** Moves the time forward, as a call taking that long would. */
    public void advance(Duration d) {
        advance(d.toNanos());
    }

    private synchronized void advance(long by) {
        nanos += by;
        long millis = (nanos - 1_000_000_000L) / 1_000_000;
        if (clock != null && millis > clockMillis) {
            clock.advance(Duration.ofMillis(millis - clockMillis));
        }
        clockMillis = millis;
    }

    /** Every sleep asked for so far, in order. */
    public synchronized List<Duration> sleeps() {
        return sleeps.stream().map(Duration::ofNanos).toList();
    }

    /** The time passed on this waiter since it was made. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nanos - 1_000_000_000L);
    }
}
