package io.orgsync.sync;

/** How a run ended (or that it is still going). */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    REFUSED,
    ABANDONED
}
