package io.orgsync.callback;

import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The maintenance job's part of the callbacks: events that ended (APPLIED, SKIPPED, FAILED)
 * longer ago than the retention go, PENDING ones never; nonces go once their timestamps could no
 * longer be accepted, as a replay is refused by its timestamp by then.
 */
public final class EventRetention {
    /** Twice the accepted timestamp window: a nonce younger than that may still come back in a replay. */
    static final Duration NONCE_KEPT = CallbackRoutes.WINDOW.multipliedBy(2);

    private final EventStore store;

    public EventRetention(DataSource ds) {
        this.store = new EventStore(ds);
    }

    public record Pruned(int events, int nonces) {}

    /** Prunes events that ended before {@code eventCutoff} and nonces past their window at {@code now} (epoch ms). */
    public Pruned prune(long eventCutoff, long now) throws SQLException {
        return new Pruned(store.pruneFinishedBefore(eventCutoff), store.pruneNonces(now - NONCE_KEPT.toMillis()));
    }
}
