package io.orgsync.sync;

/** What an apply changed. */
record SyncCounts(int added, int updated, int removed) {
    static final SyncCounts NONE = new SyncCounts(0, 0, 0);
}
