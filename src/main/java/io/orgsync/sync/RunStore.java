package io.orgsync.sync;

import io.orgsync.store.Sql;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code sync_run}, and the enterprise's current-run claim that fences zombie runs. */
public final class RunStore {
    private static final String COLUMNS = "id, corp_id, instance_id, status, started_at, finished_at, departments, members_added, "
            + "members_updated, members_removed, upstream_calls, error";
    private final DataSource ds;

    public RunStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Records a new RUNNING run and makes it the enterprise's current one. Runs of the enterprise
     * still marked RUNNING belonged to a node that died or stalled: they become ABANDONED, and
     * should such a node wake up, its apply step finds it is no longer current and writes nothing.
     */
    long start(String corpId, String instanceId, long now) throws SQLException {
        return Sql.inTransaction(ds, c -> {
            Sql.one(c, "SELECT current_run_id FROM enterprise WHERE corp_id = ? FOR UPDATE", rs -> rs.getLong(1), corpId);
            // The enterprise row's lock serialises starts of one enterprise. Abandoned runs are found with a
            // plain read and updated by primary key: a locking range read on sync_run (UPDATE ... WHERE corp_id)
            // would take next-key locks on the index gap that other enterprises' INSERTs below need, and two
            // enterprises starting at once would deadlock (seen with 60 enterprises due at the same second).
            for (long stale : Sql.query(c, "SELECT id FROM sync_run WHERE corp_id = ? AND status = 'RUNNING'", rs -> rs.getLong(1), corpId)) {
                Sql.update(c, "UPDATE sync_run SET status = 'ABANDONED', finished_at = ?, error = ? WHERE id = ? AND status = 'RUNNING'",
                        now, "abandoned: its node stopped before finishing; a later run took over", stale);
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

    /** Ends a run; a run already marked ABANDONED by a newer one stays so. */
    void finish(long id, RunStatus status, long now, int departments, SyncCounts counts, int upstreamCalls, String error) throws SQLException {
        Sql.withConnection(ds, c -> Sql.update(c,
                "UPDATE sync_run SET status = ?, finished_at = ?, departments = ?, members_added = ?, members_updated = ?, "
                        + "members_removed = ?, upstream_calls = ?, error = ? WHERE id = ? AND status = 'RUNNING'",
                status.name(), now, departments, counts.added(), counts.updated(), counts.removed(), upstreamCalls,
                error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error, id));
    }

    /** Newest first; {@code corpId} may be null for all enterprises. */
    public List<Run> list(String corpId, int limit) throws SQLException {
        return Sql.withConnection(ds, c -> corpId == null
                ? Sql.query(c, "SELECT " + COLUMNS + " FROM sync_run ORDER BY id DESC LIMIT ?", RunStore::row, limit)
                : Sql.query(c, "SELECT " + COLUMNS + " FROM sync_run WHERE corp_id = ? ORDER BY id DESC LIMIT ?", RunStore::row, corpId, limit));
    }

    public Optional<Run> last(String corpId) throws SQLException {
        return list(corpId, 1).stream().findFirst();
    }

    public Optional<Run> find(long id) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.one(c, "SELECT " + COLUMNS + " FROM sync_run WHERE id = ?", RunStore::row, id));
    }

    /** Whether the enterprise has a run marked RUNNING anywhere in the cluster. */
    public boolean running(String corpId) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.one(c, "SELECT 1 FROM sync_run WHERE corp_id = ? AND status = 'RUNNING'",
                rs -> 1, corpId)).isPresent();
    }

    /**
     * When the enterprise's run before {@code runId} ended (an abandoned one counts as ending
     * when it was marked so); 0 when there was none. Every department call of that run came before.
     */
    long previousFinishedAt(String corpId, long runId) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.one(c, "SELECT MAX(finished_at) FROM sync_run WHERE corp_id = ? AND id < ?",
                rs -> rs.getLong(1), corpId, runId)).orElse(0L);
    }

    /**
     * A running run's cheap check, made about once a second while it fetches: records its progress
     * and answers whether it is still its enterprise's current run (false too when the enterprise
     * was deleted). A run that gets false must stop calling the upstream.
     */
    public boolean checkIn(String corpId, long runId, long now) throws SQLException {
        return Sql.withConnection(ds, c -> {
            Sql.update(c, "UPDATE sync_run SET progress_at = ? WHERE id = ? AND status = 'RUNNING'", now, runId);
            return Sql.one(c, "SELECT current_run_id FROM enterprise WHERE corp_id = ?",
                    rs -> Sql.nullableLong(rs, "current_run_id"), corpId).map(id -> id != null && id == runId).orElse(false);
        });
    }

    /** Whether {@code runId} is still the enterprise's current run; call inside the applying transaction. */
    static boolean isCurrent(Connection c, String corpId, long runId) throws SQLException {
        return Sql.one(c, "SELECT current_run_id FROM enterprise WHERE corp_id = ? FOR UPDATE",
                rs -> Sql.nullableLong(rs, "current_run_id"), corpId).map(id -> id != null && id == runId).orElse(false);
    }

    private static Run row(ResultSet rs) throws SQLException {
        return new Run(rs.getLong("id"), rs.getString("corp_id"), rs.getString("instance_id"), RunStatus.valueOf(rs.getString("status")),
                rs.getLong("started_at"), Sql.nullableLong(rs, "finished_at"), rs.getInt("departments"), rs.getInt("members_added"),
                rs.getInt("members_updated"), rs.getInt("members_removed"), rs.getInt("upstream_calls"), rs.getString("error"));
    }
}
