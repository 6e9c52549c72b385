package io.orgsync.sync;

import io.orgsync.upstream.AttemptGate;

import java.time.Clock;

/**
 * What every attempt of one run's department calls passes, the upstream client's retries
 * included: a slot of the run's {@link DepartmentPacer} (a retry is a call the upstream counts,
 * so sharing its first attempt's slot would put rate + 1 calls into one second), the run's
 * deadline, and its claim. A refusal ends the call unsent with {@link Stopped}.
 */
final class FetchGate implements AttemptGate {
    private final DepartmentPacer pacer;
    private final long deadline;
    private final RunClaim claim;
    private final Clock clock;
    private int attempts;

    FetchGate(DepartmentPacer pacer, long deadline, RunClaim claim, Clock clock) {
        this.pacer = pacer;
        this.deadline = deadline;
        this.claim = claim;
        this.clock = clock;
    }

    @Override
    public void beforeAttempt() {
        long left = deadline - clock.millis();
        boolean slot;
        try {
            slot = left > 0 && pacer.await(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped(new SyncFailure(SyncFailure.Reason.INTERRUPTED, SyncRunner.HANDED_OVER));
        }
        if (!slot) {
            throw new Stopped(OrgFetcher.pastDeadline());
        }
        try {
            // checked after the wait, right before the send: the slot may have taken a while
            claim.check();
        } catch (SyncFailure lost) {
            pacer.ended();
            throw new Stopped(lost);
        }
        attempts++;
    }

    @Override
    public void afterAttempt() {
        pacer.ended();
    }

    /** Department call attempts sent so far. */
    int attempts() {
        return attempts;
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
