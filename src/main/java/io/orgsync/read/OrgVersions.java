package io.orgsync.read;

import io.orgsync.store.Dialect;
import io.orgsync.store.Sql;
import io.orgsync.store.Upsert;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * The cluster-wide version of each enterprise's stored org ({@code org_version}), which is what
 * invalidates cached read answers. Every writer of the org adds one to it inside its own
 * transaction ({@link #bump}), after the enterprise lock every writer takes first, so that the
 * version and the data it stands for commit together; after the commit the writer tells this
 * node's listeners ({@link #committed}), which drop their answers at once instead of at the
 * next poll. Other nodes learn of the change from {@link #all}.
 */
public final class OrgVersions {
    /** Told of a change committed on this node. */
    public interface Listener {
        /** {@code exists}: false when the enterprise was deleted. */
        void changed(String corpId, long version, boolean exists);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Adds one to the enterprise's version in the caller's transaction and returns the new value.
     * Callers hold the enterprise row's lock, so no two transactions find the row missing at once:
     * a plain UPDATE, and an INSERT when it changed nothing, is enough.
     */
    public static long bump(Connection c, String corpId) throws SQLException {
        if (Sql.update(c, "UPDATE org_version SET version = version + 1 WHERE corp_id = ?", corpId) == 0) {
            Sql.update(c, "INSERT INTO org_version (corp_id, version) VALUES (?, 1)", corpId);
        }
        return Sql.one(c, "SELECT version FROM org_version WHERE corp_id = ?", rs -> rs.getLong(1), corpId)
                .orElseThrow(() ->
                        new SQLException("org_version row of the enterprise vanished inside its own transaction"));
    }

    private static final Upsert NEW_ROW = Upsert.into("org_version", "corp_id").keep("version");

    /**
     * Creates the enterprise's version row, in a statement of its own, before a writing
     * transaction. A first {@link #bump} inside two enterprises' transactions at once would each
     * lock the index gap with its UPDATE and then wait for the other's INSERT into it: InnoDB
     * resolves that as a deadlock and one apply fails. With the row present, a bump locks one row.
     */
    public static void ensureRow(DataSource ds, String corpId) throws SQLException {
        Sql.run(ds, c -> Dialect.of(ds).insertIfAbsent(c, NEW_ROW, corpId, 0L));
    }

    /** After the commit of a write that {@link #bump}ed to {@code version}. */
    public void committed(String corpId, long version) {
        listeners.forEach(l -> l.changed(corpId, version, true));
    }

    /** After the commit of an enterprise's removal. */
    public void deleted(String corpId, long version) {
        listeners.forEach(l -> l.changed(corpId, version, false));
    }

    /** After an enterprise was registered: its reads are answered at once on this node. */
    public void registered(String corpId) {
        listeners.forEach(l -> l.changed(corpId, 0, true));
    }

    /**
     * Every registered enterprise with its version (0 before its first write): one small
     * statement, cheap enough to run several times a second on every node.
     */
    public static Map<String, Long> all(Connection c) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        Sql.query(
                c,
                "SELECT e.corp_id, v.version FROM enterprise e LEFT JOIN org_version v ON v.corp_id = e.corp_id",
                rs -> {
                    out.put(rs.getString(1), rs.getLong(2));
                    return null;
                });
        return out;
    }
}
