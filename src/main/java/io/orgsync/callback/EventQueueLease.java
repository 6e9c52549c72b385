package io.orgsync.callback;

import io.orgsync.cluster.NodeRegistry;
import io.orgsync.store.Sql;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import javax.sql.DataSource;

/**
 * The SQL of {@code callback_queue}: which node applies an enterprise's events, so that they
 * apply in arrival order on one node at a time while any writing node may take over. A lease
 * is free when it ran out, and also as soon as its holder no longer counts as alive in
 * {@code cluster_node} (no heartbeat for {@link NodeRegistry#ALIVE_WINDOW}): a dead node's queues
 * are taken over as fast as its sync jobs are, not when the lease ends.
 */
final class EventQueueLease {
    private final DataSource ds;

    EventQueueLease(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Takes or renews the enterprise's queue for {@code owner} until {@code until}; false while
     * another live node holds it. UPDATE first, INSERT when there is no row yet (a duplicate: taken).
     */
    boolean claim(String corpId, String owner, long now, long until) throws SQLException {
        return Sql.withConnection(ds, c -> {
            if (Sql.update(
                            c,
                            "UPDATE callback_queue SET owner = ?, lease_until = ? WHERE corp_id = ? AND (owner = ? "
                                    + "OR lease_until < ? OR NOT EXISTS (SELECT 1 FROM cluster_node n "
                                    + "WHERE n.instance_id = callback_queue.owner AND n.last_seen >= ?))",
                            owner,
                            until,
                            corpId,
                            owner,
                            now,
                            now - NodeRegistry.ALIVE_WINDOW.toMillis())
                    > 0) {
                return true;
            }
            try {
                Sql.update(
                        c,
                        "INSERT INTO callback_queue (corp_id, owner, lease_until) VALUES (?, ?, ?)",
                        corpId,
                        owner,
                        until);
                return true;
            } catch (SQLIntegrityConstraintViolationException e) {
                return false;
            }
        });
    }

    void release(String corpId, String owner) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c, "UPDATE callback_queue SET lease_until = 0 WHERE corp_id = ? AND owner = ?", corpId, owner));
    }
}
