package io.orgsync.schedule;

import io.orgsync.resolve.ResolveRetention;
import io.orgsync.sync.RunStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The maintenance job's work: rows older than ORGSYNC_RUN_RETENTION_DAYS go. */
public final class Retention implements MaintenanceJob.Task {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private final RunStore runs;
    private final ResolveRetention resolves;
    private final Clock clock;
    private final Duration keep;

    public Retention(RunStore runs, ResolveRetention resolves, Clock clock, Duration keep) {
        this.runs = runs;
        this.resolves = resolves;
        this.clock = clock;
        this.keep = keep;
    }

    @Override
    public void run() throws Exception {
        long cutoff = clock.millis() - keep.toMillis();
        int runRows = runs.pruneFinishedBefore(cutoff);
        int misses = resolves.pruneMissesExpiredBefore(cutoff);
        int budgets = resolves.pruneBudgetsBefore(cutoff);
        log.info(
                "Maintenance: pruned {} runs, {} expired not-found memories and {} budget rows older than {} days",
                runRows,
                misses,
                budgets,
                keep.toDays());
    }
}
