package io.orgsync.token;

import io.orgsync.store.Sql;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The SQL of {@code upstream_token}: one row per key, its token and its fetch lease. */
final class TokenStore {
    record Row(String value, Long expiresAt, Long refreshAt, long version, String leaseOwner, Long leaseUntil) {
        Token token() {
            return value == null ? null : new Token(value, expiresAt, refreshAt, version);
        }

        @Override
        public String toString() {
            return "Row[version=" + version + ", leaseOwner=" + leaseOwner + "]";
        }
    }

    private final DataSource ds;

    TokenStore(DataSource ds) {
        this.ds = ds;
    }

    Optional<Row> find(String key) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.one(c,
                "SELECT access_token, expires_at, refresh_at, version, lease_owner, lease_until FROM upstream_token WHERE token_key = ?",
                TokenStore::row, key));
    }

    /** Creates the key's row if it is missing; a no-op otherwise (also when two nodes race). */
    void ensureRow(String key) throws SQLException {
        Sql.withConnection(ds, c -> Sql.update(c, "INSERT IGNORE INTO upstream_token (token_key, version) VALUES (?, 0)", key));
    }

    /** Takes the fetch lease unless another holder has a live one. */
    boolean tryLease(String key, String owner, long now, long until) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.update(c,
                "UPDATE upstream_token SET lease_owner = ?, lease_until = ? WHERE token_key = ? AND (lease_owner IS NULL OR lease_until < ?)",
                owner, until, key, now)) == 1;
    }

    /** Stores a fetched token, only while still holding the lease; false when the lease was lost. */
    boolean store(String key, String owner, Token token, long now) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.update(c,
                "UPDATE upstream_token SET access_token = ?, expires_at = ?, refresh_at = ?, fetched_at = ?, fetched_by = ?, "
                        + "version = version + 1, lease_owner = NULL, lease_until = NULL WHERE token_key = ? AND lease_owner = ?",
                token.value(), token.expiresAt(), token.refreshAt(), now, owner, key, owner)) == 1;
    }

    void release(String key, String owner) throws SQLException {
        Sql.withConnection(ds, c -> Sql.update(c,
                "UPDATE upstream_token SET lease_owner = NULL, lease_until = NULL WHERE token_key = ? AND lease_owner = ?", key, owner));
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("access_token"), Sql.nullableLong(rs, "expires_at"), Sql.nullableLong(rs, "refresh_at"),
                rs.getLong("version"), rs.getString("lease_owner"), Sql.nullableLong(rs, "lease_until"));
    }
}
