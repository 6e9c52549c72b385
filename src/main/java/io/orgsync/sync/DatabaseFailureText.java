package io.orgsync.sync;

import java.sql.SQLException;

/**
 * A run's error for a failure the database reported. A driver's message can quote the statement
 * and the member's values, so the text is built from the SQL state alone.
 */
final class DatabaseFailureText {
    private DatabaseFailureText() {}

    static String describe(SQLException e) {
        String state = e.getSQLState() == null ? "unknown" : e.getSQLState();
        String what = state.startsWith("22")
                ? "a value from WeCom does not fit its database column"
                : state.startsWith("08")
                        ? "the database connection failed"
                        : state.startsWith("40")
                                ? "the database rolled the transaction back (deadlock or serialisation failure)"
                                : "the database refused the changes";
        return what + " (SQL state " + state + "); nothing was applied";
    }
}
