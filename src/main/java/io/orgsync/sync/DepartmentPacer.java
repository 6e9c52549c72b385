package io.orgsync.sync;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces one run's department calls: evenly spaced, at most {@code rate} in any one-second
 * window. The upstream counts calls per clock second, so the limit must hold wherever the
 * second boundaries fall: a call starts only once the call {@code rate} calls before it started
 * more than a second ago. That window is 1% longer than a second, which keeps rate + 1 calls out
 * of any one second even when a call reaches the upstream up to about 10 ms later than it left
 * (a late wake-up, a GC pause) and a later one does not.
 * <p>
 * Within that limit calls follow a grid, one slot per 1/rate. A call slower than its slot is made
 * up for by the next ones, at up to twice the rate and for at most a quarter of a second's worth
 * of slots: a strict grid loses that time for good (at 200 calls a second, a 6 ms call costs as
 * much as 1.2 slots), while unlimited catching up would turn a stall into a burst. Guava's
 * RateLimiter was not used: its bursty form releases a second's worth of saved permits at once,
 * and its warm-up form costs half a second per run.
 */
final class DepartmentPacer {
    private static final double MARGIN = 1.01;
    private static final double CATCH_UP_SECONDS = 0.25;

    /** Start times (System.nanoTime) of the last {@code sent.length} calls, the oldest at {@code oldest}. */
    private final long[] sent;
    private final long windowNanos;
    private final long slotNanos;
    private final long catchUpNanos;
    private int oldest;
    private long calls;
    private long last;
    private long nextSlot;

    /**
     * @param perSecond   department calls per second (ORGSYNC_DEPT_RATE); below 1, one call per 1/rate seconds
     * @param delayMillis how long the first call must wait (the quiet time after the previous run)
     */
    DepartmentPacer(double perSecond, long delayMillis) {
        this.sent = new long[Math.max(1, (int) Math.floor(perSecond))];
        this.windowNanos = (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) * MARGIN * Math.max(1, 1 / perSecond));
        this.slotNanos = windowNanos / sent.length;
        this.catchUpNanos = Math.max(slotNanos, (long) (TimeUnit.SECONDS.toNanos(1) * CATCH_UP_SECONDS));
        this.nextSlot = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
    }

    /**
     * Waits until the next call may start and records it as started. Returns false, recording
     * nothing and without waiting, when that is more than {@code maxWaitMillis} away.
     */
    boolean await(long maxWaitMillis) throws InterruptedException {
        long now = System.nanoTime();
        long slot = calls == 0 ? nextSlot : Math.max(nextSlot, now - catchUpNanos);
        long start = Math.max(slot, now);
        if (calls >= sent.length) {
            start = Math.max(start, sent[oldest] + windowNanos);
        }
        if (calls > 0) {
            start = Math.max(start, last + slotNanos / 2);
        }
        if (start - now > TimeUnit.MILLISECONDS.toNanos(maxWaitMillis)) {
            return false;
        }
        for (long wait = start - now; wait > 0; wait = start - System.nanoTime()) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while pacing department calls");
            }
        }
        // the actual start, later than planned after a late wake-up, is what the window counts from
        long started = Math.max(start, System.nanoTime());
        sent[oldest] = started;
        oldest = (oldest + 1) % sent.length;
        last = started;
        nextSlot = slot + slotNanos;
        calls++;
        return true;
    }
}
