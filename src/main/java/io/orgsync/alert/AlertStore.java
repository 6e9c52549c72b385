package io.orgsync.alert;

import com.google.common.hash.Hashing;
import io.orgsync.store.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code alert} table: which node of the cluster sends an alert, and the record the admin
 * API lists. Each decision is one auto-committed statement on the key's row, so the database's
 * row lock makes it atomic across nodes: the conditional UPDATE that moves {@code last_sent_at}
 * past the window matches for exactly one of any number of concurrent callers.
 */
public final class AlertStore {
    public enum Claim {
        SEND,
        SUPPRESSED
    }

    static final int MAX_KEY = 150;
    static final int MAX_SUBJECT = 128;
    static final int MAX_MESSAGE = 2000;
    private static final int MAX_RESULT = 200;

    private final DataSource ds;
    private final String env;
    private final boolean writable;

    /** {@code readOnly}: the node's account may only SELECT (ORGSYNC_READ_ONLY); it lists alerts but never claims one. */
    public AlertStore(DataSource ds, String env, boolean readOnly) {
        this.ds = ds;
        this.env = env;
        this.writable = !readOnly;
    }

    public boolean writable() {
        return writable;
    }

    /**
     * Counts one raising of {@code alert} at {@code now} and says whether this caller sends it:
     * {@link Claim#SEND} when no node sent the key within {@code windowMillis} (the row then
     * names {@code sender} and holds the sinks' initial results), else {@link Claim#SUPPRESSED}.
     */
    public Claim claim(Alert alert, long now, long windowMillis, String sender, String webhook, String email)
            throws SQLException {
        String key = key(alert);
        String subject = cut(alert.subject(), MAX_SUBJECT);
        String message = cut(alert.message(), MAX_MESSAGE);
        return Sql.withConnection(ds, c -> {
            // a lost insert race or a deadlock victim goes round again; the row exists by then
            for (int attempt = 1; ; attempt++) {
                if (Sql.update(
                                c,
                                "UPDATE alert SET raised_count = raised_count + 1, last_at = ?, message = ?, last_sent_at = ?,"
                                        + " sent_by = ?, webhook_result = ?, email_result = ? WHERE env = ? AND alert_key = ? AND last_sent_at <= ?",
                                now,
                                message,
                                now,
                                cut(sender, 200),
                                webhook,
                                email,
                                env,
                                key,
                                now - windowMillis)
                        == 1) {
                    return Claim.SEND;
                }
                if (Sql.update(
                                c,
                                "UPDATE alert SET raised_count = raised_count + 1, last_at = GREATEST(last_at, ?), message = ?"
                                        + " WHERE env = ? AND alert_key = ?",
                                now,
                                message,
                                env,
                                key)
                        == 1) {
                    return Claim.SUPPRESSED;
                }
                try {
                    Sql.update(
                            c,
                            "INSERT INTO alert (env, alert_key, alert_type, subject, message, first_at, last_at, raised_count,"
                                    + " last_sent_at, sent_by, webhook_result, email_result) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                            env,
                            key,
                            cut(alert.type(), 32),
                            subject,
                            message,
                            now,
                            now,
                            now,
                            cut(sender, 200),
                            webhook,
                            email);
                    return Claim.SEND;
                } catch (SQLException e) {
                    boolean raced = e instanceof SQLIntegrityConstraintViolationException
                            || (e.getSQLState() != null
                                    && (e.getSQLState().startsWith("23")
                                            || e.getSQLState().startsWith("40")));
                    if (!raced || attempt >= 3) {
                        throw e;
                    }
                }
            }
        });
    }

    /** Records what {@code sink} made of the sending claimed at {@code sentAt} by {@code sender}, unless a later sending replaced it. */
    public void recordDelivery(Alert alert, long sentAt, String sender, String sink, String result)
            throws SQLException {
        String column = switch (sink) {
            case "webhook" -> "webhook_result";
            case "email" -> "email_result";
            default -> null;
        };
        if (column == null) {
            return;
        }
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE alert SET " + column + " = ? WHERE env = ? AND alert_key = ?"
                                + " AND last_sent_at = ? AND sent_by = ?",
                        cut(result, MAX_RESULT),
                        env,
                        key(alert),
                        sentAt,
                        cut(sender, 200)));
    }

    /** This environment's alerts, the most recently raised first. */
    public List<AlertRecord> recent(int limit) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.query(
                        c,
                        "SELECT alert_type, subject, message, first_at, last_at, raised_count,"
                                + " webhook_result, email_result FROM alert WHERE env = ? ORDER BY last_at DESC, alert_key LIMIT ?",
                        rs -> new AlertRecord(
                                rs.getString("alert_type"),
                                rs.getString("subject"),
                                rs.getString("message"),
                                rs.getLong("first_at"),
                                rs.getLong("last_at"),
                                rs.getLong("raised_count"),
                                rs.getString("webhook_result"),
                                rs.getString("email_result")),
                        env,
                        limit));
    }

    // ids are short (corp ids, app ids, node names); a longer subject keeps its type and a digest, so keys stay
    // distinct
    static String key(Alert alert) {
        String key = alert.key();
        if (key.length() <= MAX_KEY) {
            return key;
        }
        String digest = Hashing.sha256()
                .hashString(alert.subject(), StandardCharsets.UTF_8)
                .toString();
        return cut(alert.type(), 32) + ":" + digest;
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
