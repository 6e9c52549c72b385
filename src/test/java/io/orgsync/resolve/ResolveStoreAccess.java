package io.orgsync.resolve;

import java.sql.SQLException;
import java.util.OptionalLong;
import javax.sql.DataSource;

/** Opens the package's {@link ResolveStore} to the store compatibility tests, which live in {@code io.orgsync.store}. */
public final class ResolveStoreAccess {
    private final ResolveStore store;

    public ResolveStoreAccess(DataSource ds) {
        this.store = new ResolveStore(ds);
    }

    /** The reservation's id when one was granted, empty when the budget is spent or held. */
    public OptionalLong reserve(String corpId, String day, int budget, String instanceId, long now, long expiresAt)
            throws SQLException {
        return store.reserve(corpId, day, budget, instanceId, now, expiresAt).id();
    }

    public void release(long reservationId) throws SQLException {
        store.release(reservationId);
    }

    public void settleNotFound(long reservationId, String corpId, String day, String mobile, long missExpiresAt)
            throws SQLException {
        store.settleNotFound(reservationId, corpId, day, mobile, missExpiresAt);
    }

    public int failures(String corpId, String day) throws SQLException {
        return store.failures(corpId, day);
    }

    public boolean missRemembered(String corpId, String mobile, long now) throws SQLException {
        return store.missRemembered(corpId, mobile, now);
    }
}
