package io.orgsync.callback;

import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** The received events, for the endpoint that stores them and the admin API that lists them. */
public final class Events {
    private final EventStore store;

    public Events(DataSource ds) {
        this.store = new EventStore(ds);
    }

    EventStore store() {
        return store;
    }

    /** Newest first; {@code corpId} may be null for all enterprises. */
    public List<StoredEvent> recent(String corpId, int limit) throws SQLException {
        return store.list(corpId, limit);
    }
}
