package io.orgsync.feed;

import io.orgsync.store.SecretCipher;
import io.orgsync.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The SQL of {@code feed_subscription} and {@code feed_cursor}, for one environment. */
final class SubscriptionStore {
    private static final String COLUMNS =
            "name, url, secret, corp_ids, types, enabled, state, last_error, last_delivered_at, created_at, updated_at";

    private final DataSource ds;
    private final SecretCipher cipher;
    private final String env;

    SubscriptionStore(DataSource ds, SecretCipher cipher, String env) {
        this.ds = ds;
        this.cipher = cipher;
        this.env = env;
    }

    /** The signing key, opened only where a delivery needs it. */
    String secret(Subscription s) {
        return cipher.open(s.sealedSecret(), "subscription " + s.name());
    }

    String seal(String secret) {
        return cipher.seal(secret);
    }

    List<Subscription> list() throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        "SELECT " + COLUMNS + " FROM feed_subscription WHERE env = ? ORDER BY name",
                        this::read,
                        env));
    }

    Optional<Subscription> find(String name) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.one(
                        c,
                        "SELECT " + COLUMNS + " FROM feed_subscription WHERE env = ? AND name = ?",
                        this::read,
                        env,
                        name));
    }

    /** Inserts the subscription with its first cursors in one transaction; false when the name is taken. */
    boolean insert(Subscription s, Map<String, Long> cursors) throws SQLException {
        return Sql.inTransaction(ds, c -> {
            if (Sql.one(c, "SELECT 1 FROM feed_subscription WHERE env = ? AND name = ?", rs -> 1, env, s.name())
                    .isPresent()) {
                return false;
            }
            Sql.update(
                    c,
                    "INSERT INTO feed_subscription (env, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    env,
                    s.name(),
                    s.url(),
                    s.sealedSecret(),
                    join(s.corpIds()),
                    join(s.types()),
                    s.enabled(),
                    "active",
                    null,
                    null,
                    s.createdAt(),
                    s.updatedAt());
            for (Map.Entry<String, Long> e : cursors.entrySet()) {
                Sql.update(
                        c,
                        "INSERT INTO feed_cursor (env, name, corp_id, seq) VALUES (?, ?, ?, ?)",
                        env,
                        s.name(),
                        e.getKey(),
                        e.getValue());
            }
            return true;
        });
    }

    /** Writes what a PUT may change; an active state again clears every enterprise's retry. */
    void update(Subscription s) throws SQLException {
        Sql.inTransaction(ds, c -> {
            Sql.update(
                    c,
                    "UPDATE feed_subscription SET url = ?, secret = ?, corp_ids = ?, types = ?, enabled = ?, state = ?,"
                            + " last_error = ?, updated_at = ? WHERE env = ? AND name = ?",
                    s.url(),
                    s.sealedSecret(),
                    join(s.corpIds()),
                    join(s.types()),
                    s.enabled(),
                    s.failing() ? "failing" : "active",
                    s.lastError(),
                    s.updatedAt(),
                    env,
                    s.name());
            if (!s.failing()) {
                Sql.update(c, "UPDATE feed_cursor SET retry_since = NULL WHERE env = ? AND name = ?", env, s.name());
            }
            return null;
        });
    }

    boolean delete(String name) throws SQLException {
        return Sql.inTransaction(ds, c -> {
            Sql.update(c, "DELETE FROM feed_cursor WHERE env = ? AND name = ?", env, name);
            return Sql.update(c, "DELETE FROM feed_subscription WHERE env = ? AND name = ?", env, name) > 0;
        });
    }

    void markFailing(String name, String error) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE feed_subscription SET state = 'failing', last_error = ? WHERE env = ? AND name = ?",
                        error,
                        env,
                        name));
    }

    void recordError(String name, String error) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c, "UPDATE feed_subscription SET last_error = ? WHERE env = ? AND name = ?", error, env, name));
    }

    void recordDelivered(String name, long at) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE feed_subscription SET last_delivered_at = ?, last_error = NULL"
                                + " WHERE env = ? AND name = ?",
                        at,
                        env,
                        name));
    }

    /** Takes or renews the subscription's delivery for {@code owner} until {@code until}; false while another holds it. */
    boolean claim(String name, String owner, long now, long until) throws SQLException {
        return Sql.withConnection(
                        ds,
                        c -> Sql.update(
                                c,
                                "UPDATE feed_subscription SET lease_owner = ?, lease_until = ? WHERE env = ? AND name = ?"
                                        + " AND (lease_owner = ? OR lease_owner IS NULL OR lease_until < ?)",
                                owner,
                                until,
                                env,
                                name,
                                owner,
                                now))
                > 0;
    }

    void release(String name, String owner) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE feed_subscription SET lease_until = 0 WHERE env = ? AND name = ? AND lease_owner = ?",
                        env,
                        name,
                        owner));
    }

    /** The enterprises of this environment with the last sequence number of each one's change log. */
    Map<String, Long> latestByCorp() throws SQLException {
        Map<String, Long> out = new java.util.TreeMap<>();
        Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        "SELECT e.corp_id, v.change_seq FROM enterprise e LEFT JOIN org_version v"
                                + " ON v.corp_id = e.corp_id WHERE e.env = ?",
                        rs -> out.put(rs.getString(1), rs.getLong(2)),
                        env));
        return out;
    }

    /** The enterprises of this environment, in id order. */
    List<String> corps() throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        "SELECT corp_id FROM enterprise WHERE env = ? ORDER BY corp_id",
                        rs -> rs.getString(1),
                        env));
    }

    private Subscription read(ResultSet rs) throws SQLException {
        String corps = rs.getString("corp_ids");
        String types = rs.getString("types");
        String name = rs.getString("name");
        return new Subscription(
                name,
                rs.getString("url"),
                rs.getString("secret"),
                corps == null ? null : List.of(corps.split(",")),
                types == null ? null : new LinkedHashSet<>(Arrays.asList(types.split(","))),
                rs.getBoolean("enabled"),
                "failing".equals(rs.getString("state")),
                rs.getString("last_error"),
                Sql.nullableLong(rs, "last_delivered_at"),
                rs.getLong("created_at"),
                rs.getLong("updated_at"));
    }

    private static String join(java.util.Collection<String> values) {
        return values == null ? null : String.join(",", values);
    }
}
