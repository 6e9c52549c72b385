package io.orgsync.testing.cluster;

/** One {@code sync_run} row, read straight from the database. Times are epoch milliseconds. */
public record RunRow(
        long id, String corpId, String instanceId, String status, long startedAt, Long finishedAt, String error) {
    public boolean finished() {
        return !"RUNNING".equals(status);
    }

    @Override
    public String toString() {
        return "run " + id + " " + corpId + " on " + instanceId + " " + status + " [" + startedAt + ".."
                + (finishedAt == null ? "" : finishedAt) + "]" + (error == null ? "" : " " + error);
    }
}
