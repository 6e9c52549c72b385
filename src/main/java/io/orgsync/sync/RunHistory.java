package io.orgsync.sync;

import io.orgsync.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The read side of {@code sync_run} for the admin lists, and its pruning: finished runs, apart
 * from the statements of runs still going on (which stay in {@link RunStore}).
 */
final class RunHistory {
    private static final String COLUMNS =
            "id, corp_id, instance_id, status, started_at, finished_at, departments, members_added, "
                    + "members_updated, members_removed, upstream_calls, error, drift";
    private static final String LAST_SUCCESSES = "SELECT e.corp_id, e.cron, e.created_at, "
            + "(SELECT r.finished_at FROM sync_run r WHERE r.corp_id = e.corp_id AND r.status = 'SUCCEEDED' "
            + "ORDER BY r.id DESC LIMIT 1) FROM enterprise e WHERE e.env = ? AND e.enabled = TRUE";
    private static final int PRUNE_BATCH = 1000;
    private final DataSource ds;

    RunHistory(DataSource ds) {
        this.ds = ds;
    }

    /** Newest first; {@code corpId} may be null for all enterprises. */
    List<Run> list(String corpId, int limit) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> corpId == null
                        ? Sql.query(
                                c,
                                "SELECT " + COLUMNS + " FROM sync_run ORDER BY id DESC LIMIT ?",
                                RunHistory::row,
                                limit)
                        : Sql.query(
                                c,
                                "SELECT " + COLUMNS + " FROM sync_run WHERE corp_id = ? ORDER BY id DESC LIMIT ?",
                                RunHistory::row,
                                corpId,
                                limit));
    }

    Optional<Run> find(long id) throws SQLException {
        return Sql.withConnection(
                ds, c -> Sql.one(c, "SELECT " + COLUMNS + " FROM sync_run WHERE id = ?", RunHistory::row, id));
    }

    /**
     * The enabled enterprises of {@code env} with their newest SUCCEEDED run's end, in one
     * statement: per enterprise through the (corp_id, status) index, newest id first, so the cost
     * grows with the enterprises, not with the run history.
     */
    List<LastSuccess> lastSuccesses(String env) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        LAST_SUCCESSES,
                        rs -> {
                            long finished = rs.getLong(4);
                            Long lastSuccess = rs.wasNull() ? null : finished;
                            return new LastSuccess(rs.getString(1), rs.getString(2), rs.getLong(3), lastSuccess);
                        },
                        env));
    }

    /**
     * When the enterprise's run before {@code runId} ended (an abandoned one counts as ending
     * when it was marked so); 0 when there was none. Every department call of that run came before.
     * Read backwards on (corp_id, finished_at): one or two index entries, however many runs are kept.
     */
    long previousFinishedAt(String corpId, long runId) throws SQLException {
        return Sql.withConnection(
                        ds,
                        c -> Sql.one(
                                c,
                                "SELECT finished_at FROM sync_run WHERE corp_id = ? AND finished_at IS NOT NULL "
                                        + "AND id < ? ORDER BY finished_at DESC LIMIT 1",
                                rs -> rs.getLong(1),
                                corpId,
                                runId))
                .orElse(0L);
    }

    /**
     * Deletes finished runs that ended before {@code cutoff}, in batches (short transactions on a
     * big table), keeping each enterprise's current run so that its last run still shows.
     */
    int pruneFinishedBefore(long cutoff) throws SQLException {
        int total = 0;
        while (true) {
            List<Long> ids = Sql.withConnection(
                    ds,
                    c -> Sql.query(
                            c,
                            "SELECT id FROM sync_run WHERE finished_at < ? AND id NOT IN "
                                    + "(SELECT current_run_id FROM enterprise WHERE current_run_id IS NOT NULL) ORDER BY finished_at LIMIT "
                                    + PRUNE_BATCH,
                            rs -> rs.getLong(1),
                            cutoff));
            if (ids.isEmpty()) {
                return total;
            }
            total += Sql.withConnection(
                    ds,
                    c -> Sql.update(
                            c,
                            "DELETE FROM sync_run WHERE id IN ("
                                    + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")",
                            ids.toArray()));
            if (ids.size() < PRUNE_BATCH) {
                return total;
            }
        }
    }

    private static Run row(ResultSet rs) throws SQLException {
        return new Run(
                rs.getLong("id"),
                rs.getString("corp_id"),
                rs.getString("instance_id"),
                RunStatus.valueOf(rs.getString("status")),
                rs.getLong("started_at"),
                Sql.nullableLong(rs, "finished_at"),
                rs.getInt("departments"),
                rs.getInt("members_added"),
                rs.getInt("members_updated"),
                rs.getInt("members_removed"),
                rs.getInt("upstream_calls"),
                rs.getString("error"),
                Sql.nullableInt(rs, "drift"));
    }
}
