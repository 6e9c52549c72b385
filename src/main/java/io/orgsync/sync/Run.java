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
        Integer drift) {}
