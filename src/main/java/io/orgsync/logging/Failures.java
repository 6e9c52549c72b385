package io.orgsync.logging;

import io.orgsync.error.Causes;
import java.sql.SQLException;

/**
 * Says what went wrong in words fit for a log line, a run row or an alert. A database failure
 * is described by its SQL state and vendor code only: drivers put the statement and the values
 * in their messages (H2 quotes the whole statement), and wrappers such as Quartz's
 * JobPersistenceException or Flyway's copy that text into their own message. Our own
 * exceptions keep their message, which we wrote (and which never quotes a driver's).
 */
public final class Failures {
    private Failures() {}

    public static String describe(Throwable e) {
        String message = e.getMessage();
        // our own exceptions say what went wrong in our words (a token store that is down, a wrong secret)
        if (e.getClass().getName().startsWith("io.orgsync.") && message != null && !message.isBlank()) {
            return Redaction.redact(message);
        }
        SQLException sql = sqlCause(e);
        if (sql != null) {
            return database(sql);
        }
        if (fromDriver(e)) {
            return "database error (" + e.getClass().getSimpleName() + ")";
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : Redaction.redact(message);
    }

    /** "database error (SQL state 42S02, vendor code 1146)", with what the state's class means when it is a common one. */
    public static String database(SQLException e) {
        String state = e.getSQLState() == null ? "unknown" : e.getSQLState();
        String what = state.startsWith("08")
                ? "database connection failed"
                : state.startsWith("23")
                        ? "database constraint violated"
                        : state.startsWith("40")
                                ? "database transaction rolled back"
                                : state.startsWith("42")
                                        ? "database statement refused (missing table or column, or no privilege)"
                                        : state.startsWith("22")
                                                ? "value does not fit its database column"
                                                : "database error";
        return what + " (SQL state " + state + ", vendor code " + e.getErrorCode() + ")";
    }

    /** The first SQLException down the cause chain, or null. */
    public static SQLException sqlCause(Throwable e) {
        return Causes.find(e, SQLException.class).orElse(null);
    }

    // H2's internal DbException is a RuntimeException whose message quotes the statement too
    private static boolean fromDriver(Throwable e) {
        return Causes.any(e, t -> {
            String name = t.getClass().getName();
            return name.startsWith("org.h2.") || name.startsWith("com.mysql.") || name.startsWith("org.mariadb.");
        });
    }
}
