package io.orgsync.schedule;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;

/** A job operation the job's state does not allow now; {@link #conflict()} says which state. */
public final class JobConflictException extends RefusedException {
    /** What stands in the way. */
    public enum Conflict {
        /** A run of the job is under way, on any node. */
        RUNNING,
        /** A one-shot trigger is stored and its run is about to start. */
        JUST_TRIGGERED,
        /** The job is paused and the trigger was not forced. */
        PAUSED,
        /** The enterprise is disabled: its job has no schedule. */
        DISABLED
    }

    private final String corpId;
    private final Conflict conflict;

    JobConflictException(String corpId, Conflict conflict, String message) {
        super(Refusal.CONFLICT, message);
        this.corpId = corpId;
        this.conflict = conflict;
    }

    public String corpId() {
        return corpId;
    }

    public Conflict conflict() {
        return conflict;
    }
}
