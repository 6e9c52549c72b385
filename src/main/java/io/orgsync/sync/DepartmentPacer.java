package io.orgsync.sync;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces one run's department calls: evenly spaced, and never more than {@code rate} of them in
 * one second as the upstream counts them, wherever its second boundaries fall and however late
 * a request reaches it (network jitter, a GC pause between our clock reading and the send). The
 * rule that guarantees it: a call starts only once the call {@code rate} calls before it
 * <em>returned</em> more than a second ago. The upstream handled that call before we had its
 * answer, and cannot handle this one before we send it, so the two are more than a second apart
 * on its clock too. (Counting from start times instead lets rate + 1 calls into one second as soon
 * as one request is held up a little longer than a later one.)
 * <p>
 * Within that limit calls follow a grid, one slot per 1/rate. A call slower than its slot is made
 * up for by the next ones, at up to twice the rate and for at most a quarter of a second's worth
 * of slots: a strict grid loses that time for good (at 200 calls a second, a 6 ms call costs as
 * much as 1.2 slots), while unlimited catching up would turn a stall into a burst. Guava's
 * RateLimiter was not used: its bursty form releases a second's worth of saved permits at once,
 * its warm-up form costs half a second per run, and neither knows when a call ended.
 */
final class DepartmentPacer {
    private static final double CATCH_UP_SECONDS = 0.25;

    /** End times (System.nanoTime) of the last {@code ends.length} calls; call n's at n % length. */
    private final long[] ends;
    private final long windowNanos;
    private final long slotNanos;
    private final long catchUpNanos;
    private long calls;
    private long lastStart;
    private long nextSlot;

    /**
     * @param perSecond   department calls per second (ORGSYNC_DEPT_RATE); below 1, one call per 1/rate seconds
     * @param delayMillis how long the first call must wait (the quiet time after the previous run)
     */
    DepartmentPacer(double perSecond, long delayMillis) {
        this.ends = new long[Math.max(1, (int) Math.floor(perSecond))];
        this.windowNanos = (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) * Math.max(1, 1 / perSecond));
        this.slotNanos = windowNanos / ends.length;
        this.catchUpNanos = Math.max(slotNanos, (long) (TimeUnit.SECONDS.toNanos(1) * CATCH_UP_SECONDS));
        this.nextSlot = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
    }

    /**
     * Waits until the next call may start and counts it as started; the caller reports its end
     * with {@link #ended()}. Returns false, counting nothing and without waiting, when the start
     * is more than {@code maxWaitMillis} away.
     */
    boolean await(long maxWaitMillis) throws InterruptedException {
        long now = System.nanoTime();
        long slot = calls == 0 ? nextSlot : Math.max(nextSlot, now - catchUpNanos);
        long start = Math.max(slot, now);
        if (calls >= ends.length) {
            start = Math.max(start, ends[(int) (calls % ends.length)] + windowNanos);
        }
        if (calls > 0) {
            start = Math.max(start, lastStart + slotNanos / 2);
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
        lastStart = System.nanoTime();
        nextSlot = slot + slotNanos;
        calls++;
        return true;
    }

    /** The call last started has returned (answer or failure). */
    void ended() {
        ends[(int) ((calls - 1) % ends.length)] = System.nanoTime();
    }
}
