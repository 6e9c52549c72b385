package io.orgsync.schedule;

import io.orgsync.callback.EventRetention;
import io.orgsync.resolve.ResolveRetention;
import io.orgsync.sync.RunStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The maintenance job's work: rows older than ORGSYNC_RUN_RETENTION_DAYS go (callback nonces sooner: their window is minutes). */
public final class Retention implements MaintenanceJob.Task {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private final RunStore runs;
    private final ResolveRetention resolves;
    private final EventRetention events;
    private final Clock clock;
    private final Duration keep;

    public Retention(RunStore runs, ResolveRetention resolves, EventRetention events, Clock clock, Duration keep) {
        this.runs = runs;
        this.resolves = resolves;
        this.events = events;
        this.clock = clock;
        this.keep = keep;
    }

    @Override
    public void run() throws Exception {
        long now = clock.millis();
        long cutoff = now - keep.toMillis();
        int runRows = runs.pruneFinishedBefore(cutoff);
        int misses = resolves.pruneMissesExpiredBefore(cutoff);
        int budgets = resolves.pruneBudgetsBefore(cutoff);
        EventRetention.Pruned callbacks = events.prune(cutoff, now);
        log.info(
                "Maintenance: pruned {} runs, {} expired not-found memories, {} budget rows and {} finished callback "
                        + "events older than {} days, and {} callback nonces past their window",
                runRows,
                misses,
                budgets,
                callbacks.events(),
                keep.toDays(),
                callbacks.nonces());
    }
}
