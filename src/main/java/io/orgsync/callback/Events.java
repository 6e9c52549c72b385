package io.orgsync.callback;

import io.orgsync.store.Sql;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** The received events, for the endpoint that stores them and the admin API that lists them. */
public final class Events {
    private final DataSource ds;
    private final EventStore store;
    private final String env;

    /** {@code env}: this node's ORGSYNC_ENV; it lists and drains only its environment's enterprises. */
    public Events(DataSource ds, String env) {
        this.ds = ds;
        this.store = new EventStore(ds);
        this.env = env;
    }

    EventStore store() {
        return store;
    }

    String env() {
        return env;
    }

    /** Newest first, of this environment's enterprises; {@code corpId} may be null for all of them. */
    public List<StoredEvent> recent(String corpId, int limit) throws SQLException {
        return store.list(env, corpId, limit);
    }

    /** As {@link #recent}, but a corp of another environment is a {@code 409 conflict}, as for its settings. */
    List<StoredEvent> listed(String corpId, int limit) throws SQLException {
        if (corpId != null) {
            Sql.withConnection(ds, c -> CallbackSettings.managedHere(c, corpId, env, "list its events there", false));
        }
        return recent(corpId, limit);
    }
}
