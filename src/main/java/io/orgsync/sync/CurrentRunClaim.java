package io.orgsync.sync;

import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    /**
     * Records a new RUNNING run and makes it the enterprise's current one. Runs of the enterprise
     * still marked RUNNING belonged to a node that died or stalled: they become ABANDONED, and
     * should such a node wake up, its apply step finds it is no longer current and writes nothing.
     */
    long start(String corpId, String instanceId, long now) throws SQLException {
        return Sql.inTransaction(ds, c -> {
            Sql.one(
                    c,
                    "SELECT current_run_id FROM enterprise WHERE corp_id = ? FOR UPDATE",
                    rs -> rs.getLong(1),
                    corpId);
            // The enterprise row's lock serialises starts of one enterprise. Abandoned runs are found with a
            // plain read and updated by primary key: a locking range read on sync_run (UPDATE ... WHERE corp_id)
            // would take next-key locks on the index gap that other enterprises' INSERTs below need, and two
            // enterprises starting at once would deadlock (seen with 60 enterprises due at the same second).
            for (long stale : Sql.query(
                    c,
                    "SELECT id FROM sync_run WHERE corp_id = ? AND status = 'RUNNING'",
                    rs -> rs.getLong(1),
                    corpId)) {
                Sql.update(
                        c,
                        "UPDATE sync_run SET status = 'ABANDONED', finished_at = ?, error = ? WHERE id = ? AND status = 'RUNNING'",
                        now,
                        "abandoned: its node stopped before finishing; a later run took over",
                        stale);
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sync_run (corp_id, instance_id, status, started_at) VALUES (?, ?, 'RUNNING', ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, corpId);
                ps.setString(2, instanceId);
                ps.setLong(3, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            Sql.update(c, "UPDATE enterprise SET current_run_id = ? WHERE corp_id = ?", id, corpId);
            return id;
        });
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

    /** Whether {@code runId} is still the enterprise's current run; call inside the applying transaction. */
    static boolean isCurrent(Connection c, String corpId, long runId) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT current_run_id FROM enterprise WHERE corp_id = ? FOR UPDATE",
                        rs -> Sql.nullableLong(rs, "current_run_id"),
                        corpId)
                .map(id -> id != null && id == runId)
                .orElse(false);
    }
}
