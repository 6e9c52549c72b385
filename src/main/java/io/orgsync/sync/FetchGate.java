package io.orgsync.sync;

import io.orgsync.upstream.AttemptGate;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every attempt of one run's department calls passes, the upstream client's retries
 * included: a slot of the run's {@link DepartmentPacer} (a retry is a call the upstream counts,
 * so sharing its first attempt's slot would put rate + 1 calls into one second), the run's
 * deadline, and its claim. A refusal ends the call unsent with {@link Stopped}. Calls in flight
 * together each go through a {@link #lane()} of their own, all on the one pacer.
 */
final class FetchGate {
    private final DepartmentPacer pacer;
    private final long deadline;
    private final RunClaim claim;
    private final Clock clock;
    private final AtomicInteger attempts = new AtomicInteger();

    FetchGate(DepartmentPacer pacer, long deadline, RunClaim claim, Clock clock) {
        this.pacer = pacer;
        this.deadline = deadline;
        this.claim = claim;
        this.clock = clock;
    }

    /** A gate for one caller's calls, one attempt after another (it remembers its attempt's pacer slot). */
    AttemptGate lane() {
        return new Lane();
    }

    /** Department call attempts sent so far, by all lanes. */
    int attempts() {
        return attempts.get();
    }

    private final class Lane implements AttemptGate {
        private long call = DepartmentPacer.NO_START;

        @Override
        public void beforeAttempt() {
            long left = deadline - clock.millis();
            try {
                call = left > 0 ? pacer.await(left) : DepartmentPacer.NO_START;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped(new SyncFailure(SyncFailure.Reason.INTERRUPTED, SyncRunner.HANDED_OVER));
            }
            if (call == DepartmentPacer.NO_START) {
                throw new Stopped(OrgFetcher.pastDeadline());
            }
            try {
                // checked after the wait, right before the send: the slot may have taken a while
                claim.check();
            } catch (SyncFailure lost) {
                afterAttempt();
                throw new Stopped(lost);
            }
            attempts.incrementAndGet();
        }

        @Override
        public void afterAttempt() {
            pacer.ended(call);
            call = DepartmentPacer.NO_START;
        }
    }

    /** Carries the run's end out through the upstream client, which passes a gate's exception on unchanged. */
    static final class Stopped extends RuntimeException {
        final SyncFailure failure;

        Stopped(SyncFailure failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }
}
