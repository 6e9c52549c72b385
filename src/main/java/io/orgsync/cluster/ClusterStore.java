package io.orgsync.cluster;

import io.orgsync.store.Dialect;
import io.orgsync.store.Sql;
import io.orgsync.store.Upsert;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** The SQL of {@code cluster_node}. */
final class ClusterStore {
    private static final Upsert NODE = Upsert.into("cluster_node", "instance_id")
            .replace("env", "version", "scheduler_enabled", "read_only", "fenced", "started_at", "last_seen");
    private final DataSource ds;
    private final Dialect dialect;

    ClusterStore(DataSource ds) {
        this.ds = ds;
        this.dialect = Dialect.of(ds);
    }

    void heartbeat(ClusterNode n) throws SQLException {
        Sql.run(
                ds,
                c -> dialect.upsert(
                        c,
                        NODE,
                        n.instanceId(),
                        n.env(),
                        n.version(),
                        n.schedulerEnabled(),
                        n.readOnly(),
                        n.fenced(),
                        n.startedAt(),
                        n.lastSeen()));
    }

    List<ClusterNode> all(long aliveSince) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        "SELECT instance_id, env, version, scheduler_enabled, read_only, fenced, "
                                + "started_at, last_seen FROM cluster_node ORDER BY env, instance_id",
                        rs -> new ClusterNode(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getBoolean(4),
                                rs.getBoolean(5),
                                rs.getBoolean(6),
                                rs.getLong(7),
                                rs.getLong(8),
                                rs.getLong(8) >= aliveSince)));
    }

    /** Forgets nodes not seen for a day, so that the view does not fill up with every past deployment. */
    void forgetOlderThan(long before) throws SQLException {
        Sql.withConnection(ds, c -> Sql.update(c, "DELETE FROM cluster_node WHERE last_seen < ?", before));
    }
}
