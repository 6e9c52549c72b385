package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.RateLimiter;
import io.orgsync.testing.TestWaiter;
import io.orgsync.time.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pacer's rules, to the nanosecond: on a {@link TestWaiter} time moves only by the pacer's
 * own waits and the calls' latencies the test plays, so each start can be checked against the
 * exact moment the rules allow. The grid is Guava's limiter on its own system timer; these tests
 * give the window a limiter too fast to refuse (its slots are checked in real time below), so
 * what they see is the window and the spacing alone.
 */
class DepartmentPacerTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MAX_WAIT_MILLIS = 600_000;

    private final TestWaiter waiter = new TestWaiter();

    private DepartmentPacer pacer(double rate) {
        return new DepartmentPacer(rate, waiter, RateLimiter.create(1e9));
    }

    @Test
    void eachCallStartsTheMomentTheCallRateCallsBeforeItReturnedASecondAgoAndNoLater() throws Exception {
        int rate = 5;
        long halfSlot = SECOND / rate / 2;
        DepartmentPacer pacer = pacer(rate);
        Random random = new Random(7);
        int n = 100;
        long[] start = new long[n];
        long[] end = new long[n];
        for (int k = 0; k < n; k++) {
            // latencies from none to longer than the window, so that every rule gets its turn
            long latency = switch (random.nextInt(8)) {
                case 0, 1, 2 -> 0;
                case 3, 4 -> 30_000_000L;
                case 5 -> 150_000_000L;
                case 6 -> 400_000_000L;
                default -> 1_200_000_000L;
            };
            long call = pacer.await(MAX_WAIT_MILLIS);
            assertEquals(k, call);
            start[k] = waiter.nanoTime();
            waiter.advance(Duration.ofNanos(latency));
            pacer.ended(call);
            end[k] = waiter.nanoTime();
        }
        int windowBound = 0;
        for (int k = 1; k < n; k++) {
            long allowed = Math.max(end[k - 1], start[k - 1] + halfSlot);
            if (k >= rate) {
                assertTrue(
                        start[k] - end[k - rate] >= SECOND,
                        "call " + k + " started less than a second after call " + (k - rate) + " returned");
                if (end[k - rate] + SECOND > allowed) {
                    windowBound++;
                }
                allowed = Math.max(allowed, end[k - rate] + SECOND);
            }
            assertEquals(allowed, start[k], "call " + k + " starts exactly when the window and the spacing allow");
        }
        assertTrue(windowBound >= 10, "the window decided " + windowBound + " starts: the latencies must make it bind");
        // what the upstream sees: wherever a second starts, at most the rate of calls begin in it
        for (int k = rate; k < n; k++) {
            assertTrue(
                    start[k] - start[k - rate] >= SECOND,
                    "calls " + (k - rate) + " to " + k + " started within one second");
        }
    }

    @Test
    void withCallsInFlightTogetherACallWaitsForTheOneTheRateBeforeItToReturn() throws Exception {
        DepartmentPacer pacer = pacer(3);
        long c0 = pacer.await(MAX_WAIT_MILLIS);
        long c1 = pacer.await(MAX_WAIT_MILLIS);
        long c2 = pacer.await(MAX_WAIT_MILLIS);
        assertEquals(List.of(0L, 1L, 2L), List.of(c0, c1, c2));
        waiter.advance(Duration.ofMillis(100));
        pacer.ended(c2);
        pacer.ended(c1);
        // call 0 is still in flight: it returns no sooner than now, so call 3 cannot start within a second
        Duration before = waiter.elapsed();
        assertEquals(DepartmentPacer.NO_START, pacer.await(900));
        assertEquals(before, waiter.elapsed(), "a start known to be too far away is refused without waiting");

        waiter.advance(Duration.ofMillis(2_500));
        pacer.ended(c0);
        long returned = waiter.nanoTime();
        assertEquals(3, pacer.await(MAX_WAIT_MILLIS));
        assertEquals(returned + SECOND, waiter.nanoTime(), "call 3 starts a second after call 0 returned");
        // calls 1 and 2 returned long ago: call 4 waits only for the spacing of half a slot
        assertEquals(4, pacer.await(MAX_WAIT_MILLIS));
        assertEquals(returned + SECOND + SECOND / 3 / 2, waiter.nanoTime());
    }

    @Test
    void aCallInFlightTooLongEndsTheWaitAtTheDeadlineWithoutStarting() throws Exception {
        DepartmentPacer pacer = pacer(2);
        pacer.await(MAX_WAIT_MILLIS);
        pacer.ended(pacer.await(MAX_WAIT_MILLIS));
        // call 0 never returns: call 2 waits a window at a time, then gives up once the deadline is within a window
        assertEquals(DepartmentPacer.NO_START, pacer.await(3_500));
        assertEquals(
                List.of(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                waiter.sleeps());
    }

    @Test
    void belowOneCallASecondTheWindowIsOneCallPerOneOverTheRate() throws Exception {
        DepartmentPacer pacer = pacer(0.5);
        pacer.ended(pacer.await(MAX_WAIT_MILLIS));
        long returned = waiter.nanoTime();
        assertEquals(1, pacer.await(MAX_WAIT_MILLIS));
        assertEquals(returned + 2 * SECOND, waiter.nanoTime());
    }

    @Test
    void anInterruptedThreadStartsNoCallEvenOneThatNeedNotWait() throws Exception {
        DepartmentPacer pacer = pacer(10);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> pacer.await(MAX_WAIT_MILLIS));
        assertEquals(0, pacer.await(MAX_WAIT_MILLIS), "nothing was counted");
    }

    @Test
    void theGuavaGridSpacesCallsOneSlotApartInRealTime() throws Exception {
        // real time, so only what cannot come out faster is asserted: 20 calls at 50 a second take
        // at least 19 slots of 20 ms, and no two start closer than half a slot
        DepartmentPacer pacer = new DepartmentPacer(50, Waiter.system());
        List<Long> starts = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            long call = pacer.await(MAX_WAIT_MILLIS);
            starts.add(System.nanoTime());
            pacer.ended(call);
        }
        long total = starts.get(19) - starts.get(0);
        assertTrue(total >= 19 * 20_000_000L - 1_000_000L, "20 calls at 50/s within " + total / 1_000_000 + " ms");
        for (int k = 1; k < 20; k++) {
            long gap = starts.get(k) - starts.get(k - 1);
            assertTrue(
                    gap >= 10_000_000L - 100_000L, "calls " + (k - 1) + " and " + k + " " + gap / 1000 + " µs apart");
        }
    }
}
