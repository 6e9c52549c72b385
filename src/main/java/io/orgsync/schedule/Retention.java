package io.orgsync.schedule;

import io.orgsync.callback.EventRetention;
import io.orgsync.org.ChangeLog;
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
    private final ChangeLog changes;
    private final Duration keepChanges;

    public Retention(RunStore runs, ResolveRetention resolves, EventRetention events, Clock clock, Duration keep) {
        this(runs, resolves, events, clock, keep, null, null);
    }

    /** {@code changes}: the change log, kept {@code keepChanges} (ORGSYNC_CHANGE_RETENTION_DAYS), even if a subscription still lags. */
    public Retention(
            RunStore runs,
            ResolveRetention resolves,
            EventRetention events,
            Clock clock,
            Duration keep,
            ChangeLog changes,
            Duration keepChanges) {
        this.runs = runs;
        this.resolves = resolves;
        this.events = events;
        this.clock = clock;
        this.keep = keep;
        this.changes = changes;
        this.keepChanges = keepChanges;
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
        if (changes != null) {
            int pruned = changes.deleteBefore(now - keepChanges.toMillis());
            log.info(
                    "Maintenance: pruned {} changes older than {} days from the change log",
                    pruned,
                    keepChanges.toDays());
        }
    }
}
