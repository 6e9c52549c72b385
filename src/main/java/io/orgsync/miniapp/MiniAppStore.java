package io.orgsync.miniapp;

import io.orgsync.store.SecretCipher;
import io.orgsync.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code miniapp} table: registered apps, their secrets sealed with the node's key. */
final class MiniAppStore {
    private final DataSource ds;
    private final SecretCipher cipher;

    MiniAppStore(DataSource ds, SecretCipher cipher) {
        this.ds = ds;
        this.cipher = cipher;
    }

    void insert(MiniApp app) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "INSERT INTO miniapp (app_id, name, secret, token_mode, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                        app.appId(),
                        app.name(),
                        cipher.seal(app.secret()),
                        tokenMode(app),
                        app.createdAt(),
                        app.updatedAt()));
    }

    void update(MiniApp app) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE miniapp SET name = ?, secret = ?, token_mode = ?, updated_at = ? WHERE app_id = ?",
                        app.name(),
                        cipher.seal(app.secret()),
                        tokenMode(app),
                        app.updatedAt(),
                        app.appId()));
    }

    /** Every app by app id, without opening a secret: one sealed under another key does not hide the rest. */
    List<MiniAppSummary> list() throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        "SELECT app_id, name, token_mode, created_at, updated_at FROM miniapp ORDER BY app_id",
                        rs -> new MiniAppSummary(
                                rs.getString("app_id"),
                                rs.getString("name"),
                                "stable".equals(rs.getString("token_mode")),
                                rs.getLong("created_at"),
                                rs.getLong("updated_at"))));
    }

    /** Whether there was such an app. */
    boolean delete(String appId) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.update(c, "DELETE FROM miniapp WHERE app_id = ?", appId)) > 0;
    }

    Optional<MiniApp> find(String appId) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.one(
                        c,
                        "SELECT app_id, name, secret, token_mode, created_at, updated_at FROM miniapp WHERE app_id = ?",
                        this::row,
                        appId));
    }

    private static String tokenMode(MiniApp app) {
        return app.stableToken() ? "stable" : "classic";
    }

    private MiniApp row(ResultSet rs) throws SQLException {
        String appId = rs.getString("app_id");
        return new MiniApp(
                appId,
                rs.getString("name"),
                cipher.open(rs.getString("secret"), appId),
                "stable".equals(rs.getString("token_mode")),
                rs.getLong("created_at"),
                rs.getLong("updated_at"));
    }
}
