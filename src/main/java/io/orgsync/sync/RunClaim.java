package io.orgsync.sync;

import com.google.common.base.Stopwatch;
import io.orgsync.time.Waiter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fetching run's hold on its enterprise. The claim can pass to a newer run while this one still
 * fetches (a node that stalled past its check-in, Quartz firing one job on two nodes, #674), or
 * vanish with a deleted enterprise. The apply step would then write nothing, but until it the run
 * would go on calling WeCom next to the newer one, or with a deleted secret. So the fetch checks
 * in before its sends, at most every {@link #INTERVAL} (two statements by primary key, which also
 * record the run's progress), and stops as soon as the claim is gone. Department calls in flight
 * together share one claim: one check at a time.
 */
final class RunClaim {
    /** Half a second: a run stops within a second of losing its claim even with a call in flight. */
    static final Duration INTERVAL = Duration.ofMillis(500);

    private static final Logger log = LoggerFactory.getLogger(RunClaim.class);

    private final RunStore runs;
    private final String corpId;
    private final long runId;
    private final Clock clock;
    /** Time since the last check; the run took the claim just before it was made. */
    private final Stopwatch sinceCheck;

    private boolean checkFailing;

    RunClaim(RunStore runs, String corpId, long runId, Clock clock, Waiter waiter) {
        this.runs = runs;
        this.corpId = corpId;
        this.runId = runId;
        this.clock = clock;
        this.sinceCheck = Stopwatch.createStarted(waiter.ticker());
    }

    /** Checks in when the last check is {@link #INTERVAL} old; throws once the run is no longer current. */
    synchronized void check() throws SyncFailure {
        if (sinceCheck.elapsed().compareTo(INTERVAL) < 0) {
            return;
        }
        sinceCheck.reset().start();
        boolean current;
        try {
            current = runs.checkIn(corpId, runId, clock.millis());
        } catch (SQLException e) {
            // the apply re-checks the claim in its transaction: a database blip must not end a long fetch
            if (!checkFailing) {
                log.warn(
                        "Run {} of {} could not check its claim (SQL state {}); fetching on, checking again shortly",
                        runId,
                        corpId,
                        e.getSQLState());
            }
            checkFailing = true;
            return;
        }
        checkFailing = false;
        if (!current) {
            throw lost();
        }
    }

    private SyncFailure lost() {
        boolean deleted;
        try {
            deleted = !runs.registered(corpId);
        } catch (SQLException e) {
            deleted = false;
        }
        return new SyncFailure(
                SyncFailure.Reason.SUPERSEDED,
                deleted
                        ? "stopped: the enterprise was deleted while this run was fetching; it stopped calling WeCom and applied nothing"
                        : "superseded: another run of this enterprise took over its claim while this one was fetching; "
                                + "it stopped calling WeCom and applied nothing");
    }
}
