package io.orgsync.resolve;

import io.orgsync.store.Sql;

import javax.sql.DataSource;
import java.sql.SQLException;

/** The SQL of {@code resolve_miss} and {@code resolve_budget}: cluster-wide resolve guards. */
final class ResolveStore {
    private final DataSource ds;

    ResolveStore(DataSource ds) {
        this.ds = ds;
    }

    boolean missRemembered(String corpId, String mobile, long now) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.one(c, "SELECT 1 FROM resolve_miss WHERE corp_id = ? AND mobile = ? AND expires_at > ?",
                rs -> 1, corpId, mobile, now)).isPresent();
    }

    void rememberMiss(String corpId, String mobile, long expiresAt) throws SQLException {
        Sql.withConnection(ds, c -> Sql.update(c, "INSERT INTO resolve_miss (corp_id, mobile, expires_at) VALUES (?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE expires_at = ?", corpId, mobile, expiresAt, expiresAt));
    }

    int failures(String corpId, String day) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.one(c, "SELECT failures FROM resolve_budget WHERE corp_id = ? AND day_key = ?",
                rs -> rs.getInt(1), corpId, day).orElse(0));
    }

    void addFailure(String corpId, String day) throws SQLException {
        Sql.withConnection(ds, c -> Sql.update(c, "INSERT INTO resolve_budget (corp_id, day_key, failures) VALUES (?, ?, 1) "
                + "ON DUPLICATE KEY UPDATE failures = failures + 1", corpId, day));
    }
}
