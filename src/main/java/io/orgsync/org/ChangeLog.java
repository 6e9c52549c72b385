package io.orgsync.org;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The statements of {@code org_change}, the change log that every write of an organisation adds
 * to in its own transaction ({@link OrgWriter}). Readers follow it by sequence number: the read
 * cache of every node, the change feed.
 */
public final class ChangeLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 1000;
    private static final String COLUMNS = "corp_id, seq, kind, subject, fields, source, changed_at, touched, data";

    private final DataSource ds;

    public ChangeLog(DataSource ds) {
        this.ds = ds;
    }

    /** Up to {@code limit} changes of the enterprise after sequence number {@code after}, in order. */
    public List<OrgChange> after(String corpId, long after, int limit) throws SQLException {
        return Sql.withConnection(ds, c -> after(c, corpId, after, limit));
    }

    static List<OrgChange> after(Connection c, String corpId, long after, int limit) throws SQLException {
        return Sql.query(
                c,
                "SELECT " + COLUMNS + " FROM org_change WHERE corp_id = ? AND seq > ? ORDER BY seq LIMIT " + limit,
                ChangeLog::read,
                corpId,
                after);
    }

    /** The lowest sequence number the log still holds for the enterprise; empty when it holds none. */
    public OptionalLong oldest(String corpId) throws SQLException {
        // MIN over no row is one row holding NULL: told apart by -1, as sequence numbers start at 1
        long min = Sql.withConnection(
                ds,
                c -> Sql.one(
                                c,
                                "SELECT COALESCE(MIN(seq), -1) FROM org_change WHERE corp_id = ?",
                                rs -> rs.getLong(1),
                                corpId)
                        .orElse(-1L));
        return min < 0 ? OptionalLong.empty() : OptionalLong.of(min);
    }

    /** The last sequence number given to a change of the enterprise (0 before the first). */
    public long latest(String corpId) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.one(c, "SELECT change_seq FROM org_version WHERE corp_id = ?", rs -> rs.getLong(1), corpId)
                        .orElse(0L));
    }

    /** Deletes the changes recorded before {@code cutoff} (epoch milliseconds); answers how many. */
    public int deleteBefore(long cutoff) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.update(c, "DELETE FROM org_change WHERE changed_at < ?", cutoff));
    }

    static void insert(Connection c, Collection<OrgChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO org_change (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (OrgChange ch : changes) {
                ps.setString(1, ch.corpId());
                ps.setLong(2, ch.seq());
                ps.setString(3, ch.kind().type());
                ps.setString(4, ch.subject());
                ps.setString(5, ch.changedFields().isEmpty() ? null : String.join(",", ch.changedFields()));
                ps.setString(6, ch.source().label());
                ps.setLong(7, ch.changedAt());
                ps.setString(8, json(ch.touched()));
                ps.setString(9, ch.data());
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            if (n % BATCH != 0) {
                ps.executeBatch();
            }
        }
    }

    static void deleteAll(Connection c, String corpId) throws SQLException {
        Sql.update(c, "DELETE FROM org_change WHERE corp_id = ?", corpId);
    }

    private static OrgChange read(ResultSet rs) throws SQLException {
        String fields = rs.getString(5);
        return new OrgChange(
                rs.getString(1),
                rs.getLong(2),
                OrgChange.Kind.ofType(rs.getString(3)),
                rs.getString(4),
                fields == null ? List.of() : Arrays.asList(fields.split(",")),
                OrgChange.Source.valueOf(rs.getString(6).toUpperCase(java.util.Locale.ROOT)),
                rs.getLong(7),
                touched(rs.getString(8)),
                rs.getString(9));
    }

    private static String json(OrgChange.Touched t) throws SQLException {
        try {
            return JSON.writeValueAsString(t);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write a change's touched keys: " + e.getOriginalMessage(), e);
        }
    }

    private static OrgChange.Touched touched(String json) throws SQLException {
        try {
            return JSON.readValue(json, OrgChange.Touched.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("an org_change row holds unreadable touched keys: " + e.getOriginalMessage(), e);
        }
    }
}
