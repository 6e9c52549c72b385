package io.orgsync.sync;

import com.google.common.util.concurrent.RateLimiter;
import io.orgsync.time.Waiter;
import java.util.concurrent.TimeUnit;

/**
 * Paces one run's department calls, from one lane or several in flight at once: never more than
 * {@code rate} of them in one second as the upstream counts them, wherever its second boundaries
 * fall and however late a request reaches it (network jitter, a GC pause between our clock
 * reading and the send), and evenly spaced within that.
 * <p>
 * <b>The window</b> holds the guarantee: a call starts only once the call {@code rate} calls
 * before it <em>returned</em> more than a second ago. The upstream handled that call before we
 * had its answer, and cannot handle this one before we send it, so the two are more than a second
 * apart on its clock too. (Counting from start times instead lets rate + 1 calls into one second
 * as soon as one request is held up a little longer than a later one.) With calls in flight
 * together, a call whose predecessor {@code rate} calls back has not returned waits for it.
 * <p>
 * <b>The grid</b> spaces the calls one slot (1/rate) apart: Guava's {@link RateLimiter}, in its
 * bursty form, which saves the slots a slow call left unused (for up to a second) so that the
 * calls after it make up for them. Spending saved slots is where a limiter alone turns a stall
 * into a burst; here no call starts sooner than half a slot after the one before (at most twice
 * the rate while catching up), and the window caps any second at the rate.
 * <p>
 * Guava's limiter reads and sleeps on its own system timer, which cannot be replaced from
 * outside its package. So it is only asked {@link RateLimiter#tryAcquire()}, which never sleeps;
 * every wait, the window's included, is spent on the {@link Waiter}, and is interruptible. A
 * limiter asked that way is never more than one slot ahead of the permit it last granted, so a
 * refusal is waited out until one slot after the last start. Tests give the pacer a limiter too
 * fast to refuse and a waiter of their own, and see the window exactly.
 */
final class DepartmentPacer {
    /** What {@link #await} answers when the next call could not start in time. */
    static final long NO_START = -1;
    /** A floor under a wait for the limiter, whose clock (microseconds) may trail ours a little. */
    private static final long MIN_GRID_WAIT_NANOS = 100_000;

    private final Waiter waiter;
    private final RateLimiter grid;
    /** End times of the last {@code ends.length} calls, call n's at n % length, once {@code returned}. */
    private final long[] ends;

    private final boolean[] returned;
    private final long windowNanos;
    private final long slotNanos;
    private long calls;
    private long lastStart;

    /** @param perSecond department calls per second (ORGSYNC_DEPT_RATE); below 1, one call per 1/rate seconds */
    DepartmentPacer(double perSecond, Waiter waiter) {
        this(perSecond, waiter, RateLimiter.create(gridRate(perSecond)));
    }

    /** A pacer on the given grid: for tests, which drive the window with a waiter of their own. */
    DepartmentPacer(double perSecond, Waiter waiter, RateLimiter grid) {
        this.waiter = waiter;
        this.grid = grid;
        this.ends = new long[calls(perSecond)];
        this.returned = new boolean[ends.length];
        this.windowNanos = windowNanos(perSecond);
        this.slotNanos = windowNanos / ends.length;
    }

    /**
     * Waits until the next call may start and counts it as started. Returns the call's number,
     * which the caller hands to {@link #ended} once it has returned; or {@link #NO_START},
     * counting nothing, as soon as the start is known to be more than {@code maxWaitMillis} away.
     * An interrupted thread starts no call, even one that need not wait.
     */
    long await(long maxWaitMillis) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before a department call");
        }
        long giveUp = waiter.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxWaitMillis));
        while (true) {
            long wait;
            synchronized (this) {
                long now = waiter.nanoTime();
                long start = earliestStart(now);
                if (start <= now) {
                    if (grid.tryAcquire()) {
                        long call = calls++;
                        returned[(int) (call % ends.length)] = false;
                        lastStart = now;
                        return call;
                    }
                    start = Math.max(lastStart + slotNanos, now + MIN_GRID_WAIT_NANOS);
                }
                if (start - giveUp > 0) {
                    return NO_START;
                }
                wait = start - now;
            }
            // outside the lock: the other lanes start and end their calls meanwhile
            waiter.sleepNanos(wait);
        }
    }

    /** Call {@code call} (as {@link #await} numbered it) has returned: an answer or a failure. */
    synchronized void ended(long call) {
        int i = (int) (call % ends.length);
        ends[i] = waiter.nanoTime();
        returned[i] = true;
    }

    /** The earliest start the window and the spacing allow for the next call; the grid aside. */
    private long earliestStart(long now) {
        long start = now;
        if (calls > 0) {
            start = Math.max(start, lastStart + slotNanos / 2);
        }
        if (calls >= ends.length) {
            int i = (int) (calls % ends.length);
            // still in flight: it returns no sooner than now, so this call starts no sooner than a window from now
            start = Math.max(start, (returned[i] ? ends[i] : now) + windowNanos);
        }
        return start;
    }

    /** The window: this many calls... */
    private static int calls(double perSecond) {
        return Math.max(1, (int) Math.floor(perSecond));
    }

    /** ...per this long, a second or, below one call a second, 1/rate seconds. */
    private static long windowNanos(double perSecond) {
        return (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) * Math.max(1, 1 / perSecond));
    }

    /** The grid's rate: one slot per window / calls, so that grid and window agree. */
    private static double gridRate(double perSecond) {
        return calls(perSecond) * 1e9 / windowNanos(perSecond);
    }
}
