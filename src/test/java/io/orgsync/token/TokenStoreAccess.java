package io.orgsync.token;

import java.sql.SQLException;
import javax.sql.DataSource;

/** Opens the package's {@link TokenStore} to the store compatibility tests, which live in {@code io.orgsync.store}. */
public final class TokenStoreAccess {
    private final TokenStore store;

    public TokenStoreAccess(DataSource ds) {
        this.store = new TokenStore(ds);
    }

    public void ensureRow(String key) throws SQLException {
        store.ensureRow(key);
    }

    public boolean tryLease(String key, String owner, long now, long until) throws SQLException {
        return store.tryLease(key, owner, now, until);
    }

    public boolean store(String key, String owner, Token token, long now) throws SQLException {
        return store.store(key, owner, token, now);
    }
}
