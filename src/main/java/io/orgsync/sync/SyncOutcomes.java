package io.orgsync.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.enterprise.Enterprise;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run's end tells beyond its row: the drift an event-fed enterprise's run corrected, the
 * alert of a run that failed or was refused, and the count and log line of one that yielded. Apart from {@link SyncRunner} so that the run
 * itself reads as claim, fetch, apply, record.
 */
final class SyncOutcomes {
    // logged as SyncRunner: operators' log filters and alerts on that logger name keep working
    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
    private final RunStore runs;
    private final Alerts alerts;
    private final MeterRegistry metrics;
    private final EventFeed events;

    SyncOutcomes(RunStore runs, Alerts alerts, MeterRegistry metrics, EventFeed events) {
        this.runs = runs;
        this.alerts = alerts;
        this.metrics = metrics;
        this.events = events;
    }

    /**
     * For an enterprise that receives events, what this run corrected is what the events did not
     * bring (lost, or not yet applied when the fetch read it): recorded as the run's drift.
     */
    void recordDrift(String corpId, long runId, SyncCounts counts) throws SQLException {
        if (!events.receivesEvents(corpId)) {
            return;
        }
        int drift = counts.corrections();
        runs.recordDrift(runId, drift);
        metrics.summary("orgsync_sync_drift", "corp", corpId).record(drift);
        if (drift > 0) {
            log.warn(
                    "Sync of {} corrected {} members and departments that contact-change events had not brought "
                            + "({} departments; e.g. {}): lost callbacks, or changes made through the API",
                    corpId,
                    drift,
                    counts.departmentsChanged(),
                    String.join(", ", counts.examples()));
        }
    }

    /**
     * A run that yielded to a run of its enterprise still going on: its row, recorded already
     * ended (or, should the enterprise have been deleted at once, what the row said), counted and logged.
     */
    Run yielded(String corpId, long runId, String instanceId, long started) throws SQLException {
        metrics.counter("orgsync_sync_runs_total", "corp", corpId, "outcome", RunStatus.ABANDONED.name())
                .increment();
        Run row = runs.find(runId)
                .orElse(Run.ended(
                        runId,
                        corpId,
                        instanceId,
                        RunStatus.ABANDONED,
                        started,
                        started,
                        0,
                        SyncCounts.NONE,
                        0,
                        "yielded to a run of this enterprise still going on"));
        log.info("Sync of {} (run {}) {}", corpId, runId, row.error());
        return row;
    }

    /**
     * The row of a run whose end is recorded, alerted if it failed or was refused, logged if it was
     * abandoned; {@code known} when the row is gone with its enterprise (deleted, re-created and
     * deleted again).
     */
    Run ended(Enterprise enterprise, Run known) throws SQLException {
        alertIfFailed(known.corpId(), enterprise, known.id(), known.status(), known.error());
        Run row = runs.find(known.id()).orElse(known);
        if (known.status() == RunStatus.ABANDONED) {
            // the row's reason: a run that took over, the run watch or a delete wrote what really happened
            log.info("Sync of {} ended ABANDONED (run {}): {}", known.corpId(), known.id(), row.error());
        }
        return row;
    }

    /** Logs and alerts a FAILED or REFUSED run; other outcomes need no one's attention. */
    private void alertIfFailed(String corpId, Enterprise enterprise, long runId, RunStatus status, String error) {
        if (status == RunStatus.FAILED || status == RunStatus.REFUSED) {
            log.warn("Sync of {} {}: {}", corpId, status, error);
            alerts.raise(new Alert(
                    status == RunStatus.REFUSED ? "sync_refused" : "sync_failed",
                    corpId,
                    "The sync of " + (enterprise == null ? corpId : enterprise.name()) + " (" + corpId + ") "
                            + (status == RunStatus.REFUSED ? "was refused" : "failed")
                            + " in run " + runId + ": " + error + " The stored org is unchanged."));
        }
    }
}
