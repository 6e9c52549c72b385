package io.orgsync.org;

import io.orgsync.store.Dialect;
import io.orgsync.store.Sql;
import io.orgsync.store.Upsert;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The statements of {@code org_version}: per enterprise, a version that every write of its org
 * moves by one, and the last change-log sequence number given ({@code change_seq}). Both move in
 * the writing transaction, after the enterprise lock, so that they and the data they stand for
 * commit together. Read caches poll {@link #all} to learn that something changed, then the change
 * log ({@link ChangeLog}) to learn what.
 */
public final class OrgVersions {
    /** An enterprise's version and last change number, as one read saw them. */
    public record Version(long version, long changeSeq) {
        public static final Version NONE = new Version(0, 0);
    }

    private static final Upsert NEW_ROW = Upsert.into("org_version", "corp_id").keep("version");

    private OrgVersions() {}

    /**
     * Adds one to the version and {@code changes} to the change number, in the caller's
     * transaction (which holds the enterprise lock), and returns both as they are now.
     */
    static Version bump(Connection c, String corpId, int changes) throws SQLException {
        if (Sql.update(
                        c,
                        "UPDATE org_version SET version = version + 1, change_seq = change_seq + ? WHERE corp_id = ?",
                        changes,
                        corpId)
                == 0) {
            Sql.update(c, "INSERT INTO org_version (corp_id, version, change_seq) VALUES (?, 1, ?)", corpId, changes);
        }
        return Sql.one(
                        c,
                        "SELECT version, change_seq FROM org_version WHERE corp_id = ?",
                        rs -> new Version(rs.getLong(1), rs.getLong(2)),
                        corpId)
                .orElseThrow(() ->
                        new SQLException("org_version row of the enterprise vanished inside its own transaction"));
    }

    /**
     * Creates the enterprise's version row, in a statement of its own, before a writing
     * transaction. A first {@link #bump} inside two enterprises' transactions at once would each
     * lock the index gap with its UPDATE and then wait for the other's INSERT into it: InnoDB
     * resolves that as a deadlock and one write fails. With the row present, a bump locks one row.
     */
    static void ensureRow(DataSource ds, String corpId) throws SQLException {
        Sql.run(ds, c -> Dialect.of(ds).insertIfAbsent(c, NEW_ROW, corpId, 0L));
    }

    /**
     * Every registered enterprise with its version (0 before its first write): one small
     * statement, cheap enough to run several times a second on every node.
     */
    public static Map<String, Version> all(Connection c) throws SQLException {
        Map<String, Version> out = new HashMap<>();
        Sql.query(
                c,
                "SELECT e.corp_id, v.version, v.change_seq FROM enterprise e "
                        + "LEFT JOIN org_version v ON v.corp_id = e.corp_id",
                rs -> {
                    out.put(rs.getString(1), new Version(rs.getLong(2), rs.getLong(3)));
                    return null;
                });
        return out;
    }
}
