package io.orgsync.sync;

import io.orgsync.cluster.NodeRegistry;
import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    static final String RUNNING_ROWS =
            "SELECT r.id, r.corp_id, r.instance_id, r.started_at, COALESCE(r.progress_at, r.started_at), "
                    + "n.last_seen FROM sync_run r LEFT JOIN cluster_node n ON n.instance_id = r.instance_id WHERE ";
    private final DataSource ds;
    private final Clock clock;
    // the enterprise's current-run claim and the admin lists are their own classes; this one keeps
    // the statements of runs that go on (progress, liveness, end) and the API the rest of the code uses
    private final CurrentRunClaim claims;
    private final RunHistory history;

    public RunStore(DataSource ds) {
        this(ds, Clock.systemUTC());
    }

    public RunStore(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
        this.claims = new CurrentRunClaim(ds);
        this.history = new RunHistory(ds);
    }

    /** A row marked RUNNING, with its last sign of progress and when its node last beat (null: no such node). */
    record RunningRow(long id, String corpId, String instanceId, long startedAt, long progressAt, Long nodeLastSeen) {
        /** Whether the run really goes on: its node is alive and it progressed lately. */
        boolean alive(long now) {
            return nodeLastSeen != null
                    && nodeLastSeen >= now - NodeRegistry.ALIVE_WINDOW.toMillis()
                    && progressAt >= now - STALLED.toMillis();
        }

        /**
         * Whether its node missed its last two heartbeats: what a run that Quartz started to recover
         * that node's job must see before it takes the claim over. Quartz finds a node dead by its own
         * check-in and each node's wall clock; a scheduler whose clock runs ahead "recovers" nodes that
         * beat a moment ago, and such a recovery must yield like any other second run.
         */
        boolean silent(long now) {
            return nodeLastSeen == null
                    || nodeLastSeen
                            < now - NodeRegistry.HEARTBEAT.multipliedBy(2).toMillis();
        }

        /**
         * What shows that the run no longer goes on, as {@code asking} (a node that is not running
         * it, when it is its own) sees it: its node gone or silent, or no progress.
         */
        String stopped(long now, String asking) {
            if (instanceId.equals(asking)) {
                return "its node " + instanceId
                        + " no longer runs it (the end could not be recorded, or the node restarted)";
            }
            if (nodeLastSeen == null) {
                return "its node " + instanceId + " is not in the cluster any more";
            }
            if (nodeLastSeen < now - NodeRegistry.ALIVE_WINDOW.toMillis()) {
                return "its node " + instanceId + " showed no heartbeat for " + secondsSince(now, nodeLastSeen) + " s";
            }
            return "it showed no progress for " + secondsSince(now, progressAt) + " s";
        }

        static long secondsSince(long now, long then) {
            return Math.max(0, Duration.ofMillis(now - then).toSeconds());
        }
    }

    /**
     * Records a new run: RUNNING and the enterprise's current one, abandoning the enterprise's
     * runs that no longer go on; or, when one still goes on, a run that yielded to it and must not
     * call the upstream (see {@link CurrentRunClaim#start}). {@code alsoRunningHere}: whether this
     * node runs the enterprise besides the run starting now; {@code recovery}: Quartz re-runs the
     * job of a node its cluster found dead.
     */
    CurrentRunClaim.Start start(String corpId, String instanceId, long now, boolean alsoRunningHere, boolean recovery)
            throws SQLException {
        return claims.start(corpId, instanceId, now, alsoRunningHere, recovery);
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
        return history.list(corpId, limit);
    }

    public Optional<Run> last(String corpId) throws SQLException {
        return list(corpId, 1).stream().findFirst();
    }

    public Optional<Run> find(long id) throws SQLException {
        return history.find(id);
    }

    /** The enabled enterprises of {@code env}, each with when its newest successful run ended. */
    public List<LastSuccess> lastSuccesses(String env) throws SQLException {
        return history.lastSuccesses(env);
    }

    /**
     * Whether the enterprise has a run really going on anywhere in the cluster: marked RUNNING,
     * on a node that is alive, with progress lately. A row left RUNNING by a node that died or
     * failed to record the end does not count (the cluster ends it ABANDONED soon, see RunWatch).
     */
    public boolean running(String corpId) throws SQLException {
        long now = clock.millis();
        return runningRows(corpId).stream().anyMatch(r -> r.alive(now));
    }

    /** The enterprise's rows marked RUNNING, with their nodes' last heartbeats. */
    List<RunningRow> runningRows(String corpId) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c, RUNNING_ROWS + "r.corp_id = ? AND r.status = 'RUNNING'", RunStore::runningRow, corpId));
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

    /** Ends a RUNNING run ABANDONED and takes back its claim on the enterprise (see {@link CurrentRunClaim#abandon}). */
    boolean abandon(long runId, String corpId, long now, String why) throws SQLException {
        return claims.abandon(runId, corpId, now, why);
    }

    /** When the enterprise's run before {@code runId} ended; 0 when there was none. */
    long previousFinishedAt(String corpId, long runId) throws SQLException {
        return history.previousFinishedAt(corpId, runId);
    }

    /** Deletes finished runs that ended before {@code cutoff}, keeping each enterprise's current run. */
    public int pruneFinishedBefore(long cutoff) throws SQLException {
        return history.pruneFinishedBefore(cutoff);
    }

    /**
     * A running run's cheap check, made about once a second while it fetches: records its progress
     * and answers whether it is still its enterprise's current run (false too when the enterprise
     * was deleted). A run that gets false must stop calling the upstream.
     */
    public boolean checkIn(String corpId, long runId, long now) throws SQLException {
        return Sql.withConnection(ds, c -> {
            Sql.update(c, "UPDATE sync_run SET progress_at = ? WHERE id = ? AND status = 'RUNNING'", now, runId);
            return CurrentRunClaim.isCurrentUnlocked(c, corpId, runId);
        });
    }

    /** Whether the enterprise is (still) registered. */
    boolean registered(String corpId) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.one(c, "SELECT 1 FROM enterprise WHERE corp_id = ?", rs -> 1, corpId)
                        .isPresent());
    }

    /** Whether {@code runId} is still the enterprise's current run; call inside the applying transaction. */
    static boolean isCurrent(Connection c, String corpId, long runId) throws SQLException {
        return CurrentRunClaim.isCurrent(c, corpId, runId);
    }

    static RunningRow runningRow(ResultSet rs) throws SQLException {
        long lastSeen = rs.getLong(6);
        // asked at once: wasNull() answers for the column read last (a node not in cluster_node has none)
        Long nodeLastSeen = rs.wasNull() ? null : lastSeen;
        return new RunningRow(
                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), nodeLastSeen);
    }
}
