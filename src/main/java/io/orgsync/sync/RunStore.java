package io.orgsync.sync;

import io.orgsync.cluster.NodeRegistry;
import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The SQL of {@code sync_run}, and the enterprise's current-run claim that fences zombie runs. */
public final class RunStore {
    /**
     * A RUNNING run without a sign of progress for this long has stopped, whatever its node says:
     * its node records progress every few seconds (and the fetch about once a second).
     */
    public static final Duration STALLED = Duration.ofMinutes(2);

    private static final String COLUMNS =
            "id, corp_id, instance_id, status, started_at, finished_at, departments, members_added, "
                    + "members_updated, members_removed, upstream_calls, error, drift";
    private static final String RUNNING_ROWS =
            "SELECT r.id, r.corp_id, r.instance_id, r.started_at, COALESCE(r.progress_at, r.started_at), "
                    + "n.last_seen FROM sync_run r LEFT JOIN cluster_node n ON n.instance_id = r.instance_id WHERE ";
    private static final int PRUNE_BATCH = 1000;
    private final DataSource ds;
    private final Clock clock;

    public RunStore(DataSource ds) {
        this(ds, Clock.systemUTC());
    }

    public RunStore(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** A row marked RUNNING, with its last sign of progress and when its node last beat (null: no such node). */
    record RunningRow(long id, String corpId, String instanceId, long startedAt, long progressAt, Long nodeLastSeen) {
        /** Whether the run really goes on: its node is alive and it progressed lately. */
        boolean alive(long now) {
            return nodeLastSeen != null
                    && nodeLastSeen >= now - NodeRegistry.ALIVE_WINDOW.toMillis()
                    && progressAt >= now - STALLED.toMillis();
        }
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

    /** Ends a run; a run already marked ABANDONED by a newer one stays so. */
    void finish(
            long id, RunStatus status, long now, int departments, SyncCounts counts, int upstreamCalls, String error)
            throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE sync_run SET status = ?, finished_at = ?, departments = ?, members_added = ?, members_updated = ?, "
                                + "members_removed = ?, upstream_calls = ?, error = ? WHERE id = ? AND status = 'RUNNING'",
                        status.name(),
                        now,
                        departments,
                        counts.added(),
                        counts.updated(),
                        counts.removed(),
                        upstreamCalls,
                        error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error,
                        id));
    }

    /** Records how many members and departments the run corrected that events had not. */
    void recordDrift(long id, int drift) throws SQLException {
        Sql.withConnection(ds, c -> Sql.update(c, "UPDATE sync_run SET drift = ? WHERE id = ?", drift, id));
    }

    /** Newest first; {@code corpId} may be null for all enterprises. */
    public List<Run> list(String corpId, int limit) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> corpId == null
                        ? Sql.query(
                                c,
                                "SELECT " + COLUMNS + " FROM sync_run ORDER BY id DESC LIMIT ?",
                                RunStore::row,
                                limit)
                        : Sql.query(
                                c,
                                "SELECT " + COLUMNS + " FROM sync_run WHERE corp_id = ? ORDER BY id DESC LIMIT ?",
                                RunStore::row,
                                corpId,
                                limit));
    }

    public Optional<Run> last(String corpId) throws SQLException {
        return list(corpId, 1).stream().findFirst();
    }

    public Optional<Run> find(long id) throws SQLException {
        return Sql.withConnection(
                ds, c -> Sql.one(c, "SELECT " + COLUMNS + " FROM sync_run WHERE id = ?", RunStore::row, id));
    }

    /**
     * Whether the enterprise has a run really going on anywhere in the cluster: marked RUNNING,
     * on a node that is alive, with progress lately. A row left RUNNING by a node that died or
     * failed to record the end does not count (the cluster ends it ABANDONED soon, see RunWatch).
     */
    public boolean running(String corpId) throws SQLException {
        long now = clock.millis();
        return Sql.withConnection(
                        ds,
                        c -> Sql.query(
                                c,
                                RUNNING_ROWS + "r.corp_id = ? AND r.status = 'RUNNING'",
                                RunStore::runningRow,
                                corpId))
                .stream()
                .anyMatch(r -> r.alive(now));
    }

    /** Every row marked RUNNING in the database (all environments: a dead node's runs are everyone's business). */
    List<RunningRow> runningRows() throws SQLException {
        return Sql.withConnection(ds, c -> Sql.query(c, RUNNING_ROWS + "r.status = 'RUNNING'", RunStore::runningRow));
    }

    /** Records that this node's runs of {@code corpIds} still go on (also while they apply, when the fetch no longer checks in). */
    void touch(String instanceId, Collection<String> corpIds, long now) throws SQLException {
        if (corpIds.isEmpty()) {
            return;
        }
        List<Object> args = new ArrayList<>(List.of(now, instanceId));
        args.addAll(corpIds);
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE sync_run SET progress_at = ? WHERE instance_id = ? AND status = 'RUNNING' AND corp_id IN ("
                                + String.join(", ", java.util.Collections.nCopies(corpIds.size(), "?")) + ")",
                        args.toArray()));
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
    public int pruneFinishedBefore(long cutoff) throws SQLException {
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

    /**
     * A running run's cheap check, made about once a second while it fetches: records its progress
     * and answers whether it is still its enterprise's current run (false too when the enterprise
     * was deleted). A run that gets false must stop calling the upstream.
     */
    public boolean checkIn(String corpId, long runId, long now) throws SQLException {
        return Sql.withConnection(ds, c -> {
            Sql.update(c, "UPDATE sync_run SET progress_at = ? WHERE id = ? AND status = 'RUNNING'", now, runId);
            return Sql.one(
                            c,
                            "SELECT current_run_id FROM enterprise WHERE corp_id = ?",
                            rs -> Sql.nullableLong(rs, "current_run_id"),
                            corpId)
                    .map(id -> id != null && id == runId)
                    .orElse(false);
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

    private static RunningRow runningRow(ResultSet rs) throws SQLException {
        long lastSeen = rs.getLong(6);
        return new RunningRow(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.wasNull() ? null : lastSeen);
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
