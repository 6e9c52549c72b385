package io.orgsync.sync;

/** One sync run as recorded in {@code sync_run}; times are epoch milliseconds. */
public record Run(
        long id,
        String corpId,
        String instanceId,
        RunStatus status,
        long startedAt,
        Long finishedAt,
        int departments,
        int membersAdded,
        int membersUpdated,
        int membersRemoved,
        int upstreamCalls,
        String error,
        Integer drift) {
    /** A run that ended as this node knows it, for when its row is gone with its enterprise. */
    static Run ended(
            long id,
            String corpId,
            String instanceId,
            RunStatus status,
            long startedAt,
            long finishedAt,
            int departments,
            SyncCounts counts,
            int calls,
            String error) {
        return new Run(
                id,
                corpId,
                instanceId,
                status,
                startedAt,
                finishedAt,
                departments,
                counts.added(),
                counts.updated(),
                counts.removed(),
                calls,
                error,
                null);
    }
}
