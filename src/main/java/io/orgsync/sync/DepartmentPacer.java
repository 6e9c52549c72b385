package io.orgsync.sync;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces one run's department calls on a fixed grid: call n starts no earlier than slot n, slots
 * one interval apart, and a slot missed because a call was slow is never made up with a burst.
 * The upstream counts calls per clock second, so the grid must hold however it falls on the
 * second boundaries: the interval is 1 % longer than 1/rate, which keeps rate + 1 calls out of
 * any one second even when a call leaves up to about 10 ms later than its slot (a late wake-up,
 * a GC pause) and the next one leaves on time. Guava's RateLimiter was not used: its bursty form
 * releases saved permits above the rate, and its warm-up form costs half a second per run.
 */
final class DepartmentPacer {
    /** 1 % of the interval: about 10 ms of slack per second of calls. */
    private static final double MARGIN = 1.01;

    private final long intervalNanos;
    private long next;

    /**
     * @param perSecond department calls per second (ORGSYNC_DEPT_RATE)
     * @param delayMillis how long the first call must wait (the quiet time after the previous run)
     */
    DepartmentPacer(double perSecond, long delayMillis) {
        this.intervalNanos = (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) * MARGIN / perSecond);
        this.next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
    }

    /**
     * Waits for the next slot and takes it. Returns false, taking nothing and without waiting,
     * when the slot is more than {@code maxWaitMillis} away.
     */
    boolean await(long maxWaitMillis) throws InterruptedException {
        long now = System.nanoTime();
        long slot = Math.max(next, now);
        if (slot - now > TimeUnit.MILLISECONDS.toNanos(maxWaitMillis)) {
            return false;
        }
        for (long wait = slot - now; wait > 0; wait = slot - System.nanoTime()) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while pacing department calls");
            }
        }
        next = slot + intervalNanos;
        return true;
    }
}
