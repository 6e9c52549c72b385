package io.orgsync.feed;

import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** The SQL of {@code feed_cursor}: how far each subscription got in each enterprise's log. */
final class CursorStore {
    private final DataSource ds;
    private final String env;

    CursorStore(DataSource ds, String env) {
        this.ds = ds;
        this.env = env;
    }

    /** A subscription's place in one enterprise's log; {@code replays} moves with every replay. */
    record Cursor(long seq, Long retrySince, long replays) {}

    Map<String, Cursor> cursors(String name) throws SQLException {
        Map<String, Cursor> out = new HashMap<>();
        Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        "SELECT corp_id, seq, retry_since, replays FROM feed_cursor WHERE env = ? AND name = ?",
                        rs -> out.put(
                                rs.getString(1),
                                new Cursor(rs.getLong(2), Sql.nullableLong(rs, "retry_since"), rs.getLong(4))),
                        env,
                        name));
        return out;
    }

    /**
     * Moves the cursor from {@code from} to {@code to} while {@code owner} holds the lease; false
     * when the row moved meanwhile (a replay) or the lease is gone: the deliverer then reads it again.
     */
    boolean advance(String name, String corpId, long from, long replays, long to, Long retrySince, String owner)
            throws SQLException {
        return Sql.withConnection(ds, c -> {
            if (!holds(c, name, owner)) {
                return false;
            }
            int n = Sql.update(
                    c,
                    "UPDATE feed_cursor SET seq = ?, retry_since = ? WHERE env = ? AND name = ? AND corp_id = ? AND seq = ?"
                            + " AND replays = ?",
                    to,
                    retrySince,
                    env,
                    name,
                    corpId,
                    from,
                    replays);
            if (n == 0
                    && from == 0
                    && Sql.one(
                                    c,
                                    "SELECT 1 FROM feed_cursor WHERE env = ? AND name = ? AND corp_id = ?",
                                    rs -> 1,
                                    env,
                                    name,
                                    corpId)
                            .isEmpty()) {
                Sql.update(
                        c,
                        "INSERT INTO feed_cursor (env, name, corp_id, seq, retry_since) VALUES (?, ?, ?, ?, ?)",
                        env,
                        name,
                        corpId,
                        to,
                        retrySince);
                return true;
            }
            return n > 0;
        });
    }

    /** Sets the cursor of one enterprise, as a replay does, whoever delivers. */
    void moveTo(String name, String corpId, long seq) throws SQLException {
        Sql.inTransaction(ds, c -> {
            if (Sql.update(
                            c,
                            "UPDATE feed_cursor SET seq = ?, retry_since = NULL, replays = replays + 1"
                                    + " WHERE env = ? AND name = ? AND corp_id = ?",
                            seq,
                            env,
                            name,
                            corpId)
                    == 0) {
                Sql.update(
                        c,
                        "INSERT INTO feed_cursor (env, name, corp_id, seq, replays) VALUES (?, ?, ?, ?, 1)",
                        env,
                        name,
                        corpId,
                        seq);
            }
            return null;
        });
    }

    private boolean holds(Connection c, String name, String owner) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT 1 FROM feed_subscription WHERE env = ? AND name = ? AND lease_owner = ?",
                        rs -> 1,
                        env,
                        name,
                        owner)
                .isPresent();
    }
}
