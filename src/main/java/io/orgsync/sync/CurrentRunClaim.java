package io.orgsync.sync;

import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import javax.sql.DataSource;

/**
 * The transactions on an enterprise's {@code current_run_id}, the claim that fences zombie runs:
 * kept together because each must lock the enterprise row first, in the same order, so that
 * starts and abandons of different enterprises never deadlock on {@code sync_run}'s index gaps.
 */
final class CurrentRunClaim {
    private final DataSource ds;

    CurrentRunClaim(DataSource ds) {
        this.ds = ds;
    }

    /** A run's start: its row, and whether it yielded to a live run (the row then ended at once, saying so). */
    record Start(long runId, boolean yielded) {}

    /**
     * Records a new run of the enterprise. When a run of it still goes on (its node alive, its
     * progress recent, see {@link RunStore.RunningRow#alive}; on this node: {@code alsoRunningHere}),
     * the new one yields: its row is written already ended ABANDONED, naming the run it yielded to,
     * and it must not call the upstream (Quartz can fire one job on two nodes at once, #674).
     * Otherwise it becomes RUNNING and the enterprise's current run; runs still marked RUNNING
     * stopped going on (their node died or stalled, or they stopped showing progress): they become
     * ABANDONED saying so, and should such a run wake up, its apply finds it is no longer current
     * and writes nothing. Times are {@code now} of the caller's clock, the one every node shares.
     * A {@code recovery} run (Quartz re-runs the job of a node its cluster found dead, which it
     * does after about 12 s of silence, before the heartbeat's 15 s window ends) takes over the
     * runs of other nodes without waiting for the window, once their node missed two heartbeats
     * ({@link RunStore.RunningRow#silent}): a recovery by a scheduler whose clock runs ahead, of a
     * node that beat a moment ago, yields.
     */
    Start start(String corpId, String instanceId, long now, boolean alsoRunningHere, boolean recovery)
            throws SQLException {
        return Sql.inTransaction(ds, c -> {
            Sql.one(
                    c,
                    "SELECT current_run_id FROM enterprise WHERE corp_id = ? FOR UPDATE",
                    rs -> rs.getLong(1),
                    corpId);
            // The enterprise row's lock serialises starts of one enterprise. Running runs are found with a
            // plain read and updated by primary key: a locking range read on sync_run (UPDATE ... WHERE corp_id)
            // would take next-key locks on the index gap that other enterprises' INSERTs below need, and two
            // enterprises starting at once would deadlock (seen with 60 enterprises due at the same second).
            List<RunStore.RunningRow> running = Sql.query(
                    c, RunStore.RUNNING_ROWS + "r.corp_id = ? AND r.status = 'RUNNING'", RunStore::runningRow, corpId);
            for (RunStore.RunningRow r : running) {
                boolean goesOn = r.instanceId().equals(instanceId)
                        ? alsoRunningHere
                        : r.alive(now) && !(recovery && r.silent(now));
                if (goesOn) {
                    return new Start(insert(c, corpId, instanceId, now, yielding(r, instanceId, now)), true);
                }
            }
            long id = insert(c, corpId, instanceId, now, null);
            for (RunStore.RunningRow stale : running) {
                Sql.update(
                        c,
                        "UPDATE sync_run SET status = 'ABANDONED', finished_at = ?, error = ? WHERE id = ? AND status = 'RUNNING'",
                        now,
                        "abandoned: run " + id + " on " + instanceId + " took over the enterprise, as "
                                + (stale.alive(now) ? recovered(stale, now) : stale.stopped(now, instanceId)),
                        stale.id());
            }
            Sql.update(c, "UPDATE enterprise SET current_run_id = ? WHERE corp_id = ?", id, corpId);
            return new Start(id, false);
        });
    }

    /** A run Quartz's cluster recovered looks alive by the heartbeat for a few seconds more. */
    private static String recovered(RunStore.RunningRow stale, long now) {
        return "the Quartz cluster found its node " + stale.instanceId()
                + " dead and recovered the job (its last heartbeat "
                + RunStore.RunningRow.secondsSince(now, stale.nodeLastSeen()) + " s ago)";
    }

    private static String yielding(RunStore.RunningRow live, String instanceId, long now) {
        String where = live.instanceId().equals(instanceId)
                ? "this node (" + instanceId + ")"
                : live.instanceId() + " (its heartbeat " + RunStore.RunningRow.secondsSince(now, live.nodeLastSeen())
                        + " s ago, its progress " + RunStore.RunningRow.secondsSince(now, live.progressAt())
                        + " s ago)";
        return "yielded: run " + live.id() + " of this enterprise is still running on " + where
                + "; this run made no upstream call and applied nothing";
    }

    /** A RUNNING row, or with {@code endedWhy} one already ended ABANDONED (a run that yielded). */
    private static long insert(Connection c, String corpId, String instanceId, long now, String endedWhy)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sync_run (corp_id, instance_id, status, started_at, finished_at, error) VALUES (?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, corpId);
            ps.setString(2, instanceId);
            ps.setString(3, endedWhy == null ? "RUNNING" : "ABANDONED");
            ps.setLong(4, now);
            if (endedWhy == null) {
                ps.setNull(5, Types.BIGINT);
            } else {
                ps.setLong(5, now);
            }
            ps.setString(6, endedWhy);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Ends a RUNNING run ABANDONED and takes back its claim on the enterprise, so that should it
     * still be going somewhere it can apply nothing. The enterprise row is locked first, as in
     * {@link #start}, and the run updated by primary key: no range locks that could deadlock a start.
     */
    boolean abandon(long runId, String corpId, long now, String why) throws SQLException {
        return Sql.inTransaction(ds, c -> {
            Sql.one(c, "SELECT current_run_id FROM enterprise WHERE corp_id = ? FOR UPDATE", rs -> 1, corpId);
            int ended = Sql.update(
                    c,
                    "UPDATE sync_run SET status = 'ABANDONED', finished_at = ?, error = ? WHERE id = ? AND status = 'RUNNING'",
                    now,
                    why,
                    runId);
            if (ended > 0) {
                Sql.update(
                        c,
                        "UPDATE enterprise SET current_run_id = NULL WHERE corp_id = ? AND current_run_id = ?",
                        corpId,
                        runId);
            }
            return ended > 0;
        });
    }

    /** Whether {@code runId} is still the enterprise's current run; call inside the applying transaction (it locks the row). */
    static boolean isCurrent(Connection c, String corpId, long runId) throws SQLException {
        return current(c, corpId, runId, " FOR UPDATE");
    }

    /** As {@link #isCurrent}, without the lock: a fetching run's check-in must not wait behind another's apply. */
    static boolean isCurrentUnlocked(Connection c, String corpId, long runId) throws SQLException {
        return current(c, corpId, runId, "");
    }

    private static boolean current(Connection c, String corpId, long runId, String lock) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT current_run_id FROM enterprise WHERE corp_id = ?" + lock,
                        // a row without a current run (re-created, not synced yet) is no claim either
                        rs -> Long.valueOf(runId).equals(Sql.nullableLong(rs, "current_run_id")),
                        corpId)
                .orElse(false);
    }
}
