package io.orgsync.sync;

/** A run that must end without applying anything; the message goes to the run row and the alert. */
final class SyncFailure extends Exception {
    enum Reason {
        DEADLINE,
        REFUSED,
        SUPERSEDED,
        INTERRUPTED
    }

    final Reason reason;

    SyncFailure(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }
}
