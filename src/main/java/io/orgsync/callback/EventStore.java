package io.orgsync.callback;

import com.fasterxml.jackson.core.type.TypeReference;
import io.orgsync.http.Json;
import io.orgsync.store.Dialect;
import io.orgsync.store.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The SQL of {@code callback_event} and {@code callback_nonce}; the queue lease is {@link EventQueueLease}. */
final class EventStore {
    private static final String COLUMNS =
            "id, corp_id, change_type, subject, create_time, fingerprint, payload, received_at, status, "
                    + "attempts, applied_at, error";
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};
    private static final int PRUNE_BATCH = 1000;
    private final DataSource ds;

    EventStore(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Stores an accepted event with its nonce, in one transaction: a nonce seen before stores
     * nothing and is refused as a replay.
     */
    long insert(String corpId, String nonce, ContactEvent event, long now) throws SQLException {
        String payload;
        try {
            payload = Json.MAPPER.writeValueAsString(event.fields());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Sql.inTransaction(ds, c -> {
            try {
                Sql.update(
                        c, "INSERT INTO callback_nonce (corp_id, nonce, seen_at) VALUES (?, ?, ?)", corpId, nonce, now);
            } catch (SQLIntegrityConstraintViolationException e) {
                throw new CallbackRejected("replayed: this nonce was already used; WeCom never sends one twice");
            }
            try (var ps = c.prepareStatement(
                    "INSERT INTO callback_event (corp_id, change_type, subject, create_time, fingerprint, payload, "
                            + "received_at, status, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?)",
                    java.sql.Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, corpId);
                ps.setString(2, truncate(event.changeType(), 32));
                ps.setString(3, truncate(event.subject(), 200));
                ps.setLong(4, event.createTime());
                ps.setString(5, event.fingerprint());
                ps.setString(6, payload);
                ps.setLong(7, now);
                ps.setLong(8, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** Enterprises of environment {@code env} with an event due now: another environment's are its nodes' to apply. */
    List<String> dueCorps(String env, long now) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        "SELECT DISTINCT e.corp_id FROM callback_event e JOIN enterprise n ON n.corp_id = e.corp_id "
                                + "WHERE n.env = ? AND e.status = 'PENDING' AND e.next_attempt_at <= ?",
                        rs -> rs.getString(1),
                        env,
                        now));
    }

    /**
     * The enterprise's oldest due PENDING event whose subject has no older PENDING event: events
     * of one member or department apply in arrival order, and one waiting for a retry holds back
     * only its own subject.
     */
    Optional<StoredEvent> next(String corpId, long now) throws SQLException {
        return Sql.withConnection(ds, c -> next(c, corpId, now));
    }

    static Optional<StoredEvent> next(Connection c, String corpId, long now) throws SQLException {
        return Sql.one(
                c,
                "SELECT " + COLUMNS
                        + " FROM callback_event e WHERE e.corp_id = ? AND e.status = 'PENDING' AND e.next_attempt_at <= ? "
                        + "AND NOT EXISTS (SELECT 1 FROM callback_event o WHERE o.corp_id = e.corp_id AND o.status = 'PENDING' "
                        + "AND o.subject = e.subject AND o.id < e.id) ORDER BY e.id LIMIT 1",
                EventStore::row,
                corpId,
                now);
    }

    /** Whether the event is still PENDING with no older PENDING event of its subject; call under the enterprise lock. */
    static boolean stillNext(Connection c, StoredEvent e) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT 1 FROM callback_event WHERE id = ? AND status = 'PENDING' AND NOT EXISTS (SELECT 1 FROM callback_event o "
                                + "WHERE o.corp_id = ? AND o.status = 'PENDING' AND o.subject = ? AND o.id < ?)",
                        rs -> 1,
                        e.id(),
                        e.corpId(),
                        e.subject(),
                        e.id())
                .isPresent();
    }

    /** Whether an older event with the same fingerprint was applied or skipped already. */
    static boolean duplicate(Connection c, StoredEvent e) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT 1 FROM callback_event WHERE corp_id = ? AND fingerprint = ? AND id < ? AND status IN ('APPLIED', 'SKIPPED')",
                        rs -> 1,
                        e.corpId(),
                        e.fingerprint(),
                        e.id())
                .isPresent();
    }

    static void finish(Connection c, long id, EventStatus status, long now, String error) throws SQLException {
        Sql.update(
                c,
                "UPDATE callback_event SET status = ?, applied_at = ?, error = ?, attempts = attempts + 1 WHERE id = ?",
                status.name(),
                now,
                truncate(error, 1000),
                id);
    }

    void retryLater(long id, long nextAttemptAt, String error) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE callback_event SET attempts = attempts + 1, next_attempt_at = ?, error = ? "
                                + "WHERE id = ? AND status = 'PENDING'",
                        nextAttemptAt,
                        truncate(error, 1000),
                        id));
    }

    /** Skips an event that a later PENDING event of its subject supersedes; false when there is none. */
    boolean skipIfSuperseded(StoredEvent e, long now) throws SQLException {
        return Sql.withConnection(ds, c -> {
            boolean later = Sql.one(
                            c,
                            "SELECT 1 FROM callback_event WHERE corp_id = ? AND subject = ? AND status = 'PENDING' AND id > ?",
                            rs -> 1,
                            e.corpId(),
                            e.subject(),
                            e.id())
                    .isPresent();
            return later
                    && Sql.update(
                                    c,
                                    "UPDATE callback_event SET status = 'SKIPPED', attempts = attempts + 1, applied_at = ?, error = ? "
                                            + "WHERE id = ? AND status = 'PENDING'",
                                    now,
                                    "superseded: not readable upstream, and a later event of the same subject is waiting",
                                    e.id())
                            > 0;
        });
    }

    boolean fail(long id, long now, String error) throws SQLException {
        return Sql.withConnection(
                        ds,
                        c -> Sql.update(
                                c,
                                "UPDATE callback_event SET status = 'FAILED', attempts = attempts + 1, applied_at = ?, "
                                        + "error = ? WHERE id = ? AND status = 'PENDING'",
                                now,
                                truncate(error, 1000),
                                id))
                > 0;
    }

    /** Newest first, of environment {@code env}'s enterprises; {@code corpId} may be null for all of them. */
    List<StoredEvent> list(String env, String corpId, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS.replaceAll("(^|, )", "$1e.")
                + " FROM callback_event e JOIN enterprise n ON n.corp_id = e.corp_id WHERE n.env = ?"
                + (corpId == null ? "" : " AND e.corp_id = ?") + " ORDER BY e.id DESC LIMIT ?";
        return Sql.withConnection(
                ds,
                c -> corpId == null
                        ? Sql.query(c, sql, EventStore::row, env, limit)
                        : Sql.query(c, sql, EventStore::row, env, corpId, limit));
    }

    /** Forgets nonces seen before {@code cutoff}: their timestamps are outside the accepted window by then. */
    int pruneNonces(long cutoff) throws SQLException {
        return Dialect.of(ds).deleteInBatches(ds, "callback_nonce", "seen_at < ?", PRUNE_BATCH, cutoff);
    }

    /** Deletes the events that ended (APPLIED, SKIPPED, FAILED) before {@code cutoff}; a PENDING one stays, however old. */
    int pruneFinishedBefore(long cutoff) throws SQLException {
        return Dialect.of(ds)
                .deleteInBatches(ds, "callback_event", "status <> 'PENDING' AND applied_at < ?", PRUNE_BATCH, cutoff);
    }

    private static StoredEvent row(ResultSet rs) throws SQLException {
        Map<String, String> fields;
        try {
            fields = Json.MAPPER.readValue(rs.getString("payload"), FIELDS);
        } catch (IOException e) {
            throw new SQLException("unreadable event payload", e);
        }
        return new StoredEvent(
                rs.getLong("id"),
                rs.getString("corp_id"),
                rs.getString("change_type"),
                rs.getString("subject"),
                rs.getLong("create_time"),
                rs.getString("fingerprint"),
                new ContactEvent(fields),
                rs.getLong("received_at"),
                EventStatus.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                Sql.nullableLong(rs, "applied_at"),
                rs.getString("error"));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
