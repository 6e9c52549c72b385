package io.orgsync.cluster;

import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** Opens the package's {@link ClusterStore} to the store compatibility tests, which live in {@code io.orgsync.store}. */
public final class ClusterStoreAccess {
    private final ClusterStore store;

    public ClusterStoreAccess(DataSource ds) {
        this.store = new ClusterStore(ds);
    }

    public void heartbeat(ClusterNode node) throws SQLException {
        store.heartbeat(node);
    }

    public List<ClusterNode> all(long aliveSince) throws SQLException {
        return store.all(aliveSince);
    }
}
