package io.orgsync.sync;

/** Told after each department's members have been fetched (the demo draws a progress bar). */
public interface SyncProgress {
    SyncProgress NONE = (corpId, done, total) -> {};

    void departmentsFetched(String corpId, int done, int total);
}
