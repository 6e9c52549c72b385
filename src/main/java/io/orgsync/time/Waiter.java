package io.orgsync.time;

import com.google.common.base.Ticker;
import java.time.Duration;

/**
 * How orgsync measures and spends short intervals: the pacer's slots, the upstream client's
 * backoff, the token holder's polling, a sync waiting out a block, the run claim's check-in
 * interval. It sits beside the {@link java.time.Clock}, which tells the date (deadlines, expiry,
 * holds); this one is monotonic and is what a wait sleeps on. Tests drive it instead of sleeping.
 */
public interface Waiter {
    /** A monotonic reading in nanoseconds, meaningful only as a difference to another reading. */
    long nanoTime();

    /**
     * Returns once {@code nanos} have passed on {@link #nanoTime()} (at once for 0 or less).
     *
     * @throws InterruptedException when the thread is interrupted before or during the wait
     */
    void sleepNanos(long nanos) throws InterruptedException;

    default void sleep(Duration duration) throws InterruptedException {
        sleepNanos(saturatedNanos(duration));
    }

    /** This waiter's time as a Guava {@link Ticker}, for a {@link com.google.common.base.Stopwatch}. */
    default Ticker ticker() {
        return new Ticker() {
            @Override
            public long read() {
                return nanoTime();
            }
        };
    }

    /** Real time: {@link System#nanoTime()}, and sleeps that end early only by interruption. */
    static Waiter system() {
        return SystemWaiter.INSTANCE;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
