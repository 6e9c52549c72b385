package io.orgsync.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Run rows written straight into {@code sync_run}, as a run that stopped (or an older build)
 * leaves them, and the {@code cluster_node} rows of the nodes they name.
 */
public final class RunRows {
    private RunRows() {}

    /** A RUNNING row of the enterprise on {@code instanceId}, made its current run; returns its id. */
    public static long running(Connection c, String corpId, String instanceId, long startedAt, Long progressAt)
            throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sync_run (corp_id, instance_id, status, started_at, progress_at) "
                        + "VALUES (?, ?, 'RUNNING', ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, corpId);
            ps.setString(2, instanceId);
            ps.setLong(3, startedAt);
            ps.setObject(4, progressAt);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement claim =
                c.prepareStatement("UPDATE enterprise SET current_run_id = ? WHERE corp_id = ?")) {
            claim.setLong(1, id);
            claim.setString(2, corpId);
            claim.executeUpdate();
        }
        return id;
    }

    /** A cluster_node row last seen at {@code lastSeen} (of another environment: it must not fence the test's nodes). */
    public static void node(Connection c, String instanceId, long lastSeen) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO cluster_node (instance_id, env, version, "
                        + "scheduler_enabled, read_only, fenced, started_at, last_seen) VALUES (?, 'elsewhere', '0.0.1', TRUE, FALSE, FALSE, ?, ?)")) {
            ps.setString(1, instanceId);
            ps.setLong(2, lastSeen - 3_600_000);
            ps.setLong(3, lastSeen);
            ps.executeUpdate();
        }
    }
}
