package io.orgsync.enterprise;

import io.orgsync.org.OrgWriter;
import io.orgsync.store.SecretCipher;
import io.orgsync.store.SecretUnreadableException;
import io.orgsync.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The SQL of {@code enterprise}, and the removal of everything stored for one. */
final class EnterpriseStore {
    private static final String COLUMNS =
            "corp_id, env, name, secret, cron, enabled, agent_id, created_at, updated_at, contact_secret";
    private static final String ACCESS =
            ", mobiles_visible, access_names, access_complete, access_whole, access_checked_at";
    private final DataSource ds;
    private final SecretCipher cipher;

    EnterpriseStore(DataSource ds, SecretCipher cipher) {
        this.ds = ds;
        this.cipher = cipher;
    }

    Optional<Enterprise> find(String corpId) throws SQLException {
        return Sql.withConnection(
                ds, c -> Sql.one(c, "SELECT " + COLUMNS + " FROM enterprise WHERE corp_id = ?", this::row, corpId));
    }

    List<Enterprise> ofEnv(String env) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c, "SELECT " + COLUMNS + " FROM enterprise WHERE env = ? ORDER BY corp_id", this::row, env));
    }

    Optional<EnterpriseListing> findListing(String corpId) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.one(
                        c, "SELECT " + COLUMNS + ACCESS + " FROM enterprise WHERE corp_id = ?", this::listing, corpId));
    }

    List<EnterpriseListing> listingsOfEnv(String env) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        "SELECT " + COLUMNS + ACCESS + " FROM enterprise WHERE env = ? ORDER BY corp_id",
                        this::listing,
                        env));
    }

    void insert(Enterprise e) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "INSERT INTO enterprise (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        e.corpId(),
                        e.env(),
                        e.name(),
                        seal(e.secret()),
                        e.cron(),
                        e.enabled(),
                        e.agentId(),
                        e.createdAt(),
                        e.updatedAt(),
                        seal(e.contactSecret())));
    }

    private String seal(String secret) {
        return secret == null ? null : cipher.seal(secret);
    }

    private String open(ResultSet rs, String column, String corpId) throws SQLException {
        String stored = rs.getString(column);
        return stored == null ? null : cipher.open(stored, corpId);
    }

    /** A null secret keeps the stored one as it is (one this node cannot open stays for the node that can). */
    void update(Enterprise e) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE enterprise SET name = ?, secret = COALESCE(?, secret), contact_secret = COALESCE(?, contact_secret), "
                                + "cron = ?, enabled = ?, agent_id = ?, updated_at = ? WHERE corp_id = ?",
                        e.name(),
                        seal(e.secret()),
                        seal(e.contactSecret()),
                        e.cron(),
                        e.enabled(),
                        e.agentId(),
                        e.updatedAt(),
                        e.corpId()));
    }

    /**
     * Deletes the enterprise and all it owns, in one transaction. A run still fetching finds the
     * enterprise gone at its next claim check and stops; its row stays, ended ABANDONED at
     * {@code now}, so that the first run of an enterprise re-created under the same id keeps the
     * quiet second after it instead of overlapping its last calls. The org goes through its
     * writer ({@link OrgWriter#removeOrganisation}), whose new version tells every node's read cache.
     */
    void deleteWithData(String corpId, long now) throws SQLException {
        Sql.inTransaction(ds, c -> {
            // the enterprise row first, as a run's start and apply lock it: they wait for the delete, never deadlock
            // with it
            Sql.one(c, "SELECT corp_id FROM enterprise WHERE corp_id = ? FOR UPDATE", rs -> 1, corpId);
            Sql.update(c, "DELETE FROM sync_run WHERE corp_id = ? AND status <> 'RUNNING'", corpId);
            Sql.update(
                    c,
                    "UPDATE sync_run SET status = 'ABANDONED', finished_at = ?, error = ? WHERE corp_id = ? AND status = 'RUNNING'",
                    now,
                    "abandoned: the enterprise was deleted while this run was running",
                    corpId);
            OrgWriter.removeOrganisation(c, corpId);
            for (String table : List.of(
                    "department_written",
                    "resolve_miss",
                    "resolve_budget",
                    "callback_event",
                    "callback_nonce",
                    "callback_queue",
                    "enterprise_callback",
                    "enterprise")) {
                Sql.update(c, "DELETE FROM " + table + " WHERE corp_id = ?", corpId);
            }
            return null;
        });
    }

    private Enterprise row(ResultSet rs) throws SQLException {
        String corpId = rs.getString("corp_id");
        return new Enterprise(
                corpId,
                rs.getString("env"),
                rs.getString("name"),
                open(rs, "secret", corpId),
                rs.getString("cron"),
                rs.getBoolean("enabled"),
                Sql.nullableLong(rs, "agent_id"),
                rs.getLong("created_at"),
                rs.getLong("updated_at"),
                open(rs, "contact_secret", corpId));
    }

    /** The row without its secret; the secret is opened only to tell whether it can be, and dropped at once. */
    private EnterpriseListing listing(ResultSet rs) throws SQLException {
        String corpId = rs.getString("corp_id");
        String problem = null;
        try {
            open(rs, "secret", corpId);
            open(rs, "contact_secret", corpId);
        } catch (SecretUnreadableException e) {
            problem = e.getMessage();
        }
        return new EnterpriseListing(
                corpId,
                rs.getString("env"),
                rs.getString("name"),
                rs.getString("cron"),
                rs.getBoolean("enabled"),
                Sql.nullableLong(rs, "agent_id"),
                rs.getLong("created_at"),
                rs.getLong("updated_at"),
                problem,
                rs.getString("secret") != null,
                rs.getString("contact_secret") != null,
                access(rs));
    }

    private static Access access(ResultSet rs) throws SQLException {
        Long checkedAt = Sql.nullableLong(rs, "access_checked_at");
        if (checkedAt == null) {
            return null;
        }
        return new Access(
                rs.getBoolean("access_names"),
                rs.getBoolean("mobiles_visible"),
                rs.getBoolean("access_complete"),
                rs.getBoolean("access_whole"),
                checkedAt);
    }
}
