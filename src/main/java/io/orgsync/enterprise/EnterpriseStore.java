package io.orgsync.enterprise;

import io.orgsync.read.OrgVersions;
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
    private static final String COLUMNS = "corp_id, env, name, secret, cron, enabled, agent_id, created_at, updated_at";
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
                ds, c -> Sql.one(c, "SELECT " + COLUMNS + " FROM enterprise WHERE corp_id = ?", this::listing, corpId));
    }

    List<EnterpriseListing> listingsOfEnv(String env) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        "SELECT " + COLUMNS + " FROM enterprise WHERE env = ? ORDER BY corp_id",
                        this::listing,
                        env));
    }

    void insert(Enterprise e) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "INSERT INTO enterprise (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        e.corpId(),
                        e.env(),
                        e.name(),
                        cipher.seal(e.secret()),
                        e.cron(),
                        e.enabled(),
                        e.agentId(),
                        e.createdAt(),
                        e.updatedAt()));
    }

    /** A null secret keeps the stored one as it is (one this node cannot open stays for the node that can). */
    void update(Enterprise e) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE enterprise SET name = ?, secret = COALESCE(?, secret), cron = ?, enabled = ?, agent_id = ?, updated_at = ? WHERE corp_id = ?",
                        e.name(),
                        e.secret() == null ? null : cipher.seal(e.secret()),
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
     * quiet second after it instead of overlapping its last calls. Returns the org version the
     * removal committed (OrgVersions), which tells every node's read cache.
     */
    long deleteWithData(String corpId, long now) throws SQLException {
        return Sql.inTransaction(ds, c -> {
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
            for (String table : List.of(
                    "member_department",
                    "member",
                    "department",
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
            return OrgVersions.bump(c, corpId);
        });
    }

    private Enterprise row(ResultSet rs) throws SQLException {
        String corpId = rs.getString("corp_id");
        return new Enterprise(
                corpId,
                rs.getString("env"),
                rs.getString("name"),
                cipher.open(rs.getString("secret"), corpId),
                rs.getString("cron"),
                rs.getBoolean("enabled"),
                Sql.nullableLong(rs, "agent_id"),
                rs.getLong("created_at"),
                rs.getLong("updated_at"));
    }

    /** The row without its secret; the secret is opened only to tell whether it can be, and dropped at once. */
    private EnterpriseListing listing(ResultSet rs) throws SQLException {
        String corpId = rs.getString("corp_id");
        String problem = null;
        try {
            cipher.open(rs.getString("secret"), corpId);
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
                problem);
    }
}
