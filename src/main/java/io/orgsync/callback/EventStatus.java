package io.orgsync.callback;

/** Where a received event stands: waiting, applied, left out on purpose (a duplicate, a tag change), or given up on. */
public enum EventStatus {
    PENDING,
    APPLIED,
    SKIPPED,
    FAILED
}
