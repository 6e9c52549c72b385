package io.orgsync.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * H2 in its own syntax, not its MySQL mode's imitation: the standard {@code MERGE ... USING} and
 * {@code DELETE ... FETCH FIRST n ROWS ONLY}. H2's MERGE is not atomic against a concurrent
 * insert of the same key: the writer that loses the race waits for the winner's commit and gets a
 * duplicate-key error, after which the row exists and the same statement, made again, updates it
 * (or, for an insert-if-absent, leaves it).
 */
final class H2Dialect implements Dialect {
    static final H2Dialect INSTANCE = new H2Dialect();

    private static final String DUPLICATE_KEY = "23505";
    /** The attempt after a lost race finds the row; one more covers a winner that rolled back and a new race for the key. */
    private static final int ATTEMPTS = 3;

    private H2Dialect() {}

    @Override
    public String name() {
        return "H2";
    }

    @Override
    public void upsert(Connection c, Upsert row, Object... values) throws SQLException {
        row.checkBinds(values);
        List<String> columns = row.columns();
        String match = row.key().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
        String assignments = row.updated().stream()
                .map(col -> col + " = "
                        + (row.onConflict(col) == Upsert.OnConflict.ADD ? "t." + col + " + s." + col : "s." + col))
                .collect(Collectors.joining(", "));
        String sql = "MERGE INTO " + row.table() + " t USING (VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?"))
                + ")) s (" + String.join(", ", columns) + ") ON " + match
                + (assignments.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + assignments)
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(col -> "s." + col).collect(Collectors.joining(", ")) + ")";
        for (int attempt = 1; ; attempt++) {
            try {
                Sql.update(c, sql, values);
                return;
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    @Override
    public int deleteAtMost(Connection c, String table, String where, int limit, Object... args) throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("a limited delete deletes at least one row, not " + limit);
        }
        return Sql.update(c, "DELETE FROM " + table + " WHERE " + where + " FETCH FIRST " + limit + " ROWS ONLY", args);
    }

    @Override
    public Map<String, String> schemaPlaceholders() {
        // modifyColumn: H2 redefines a column with ALTER COLUMN (MODIFY only in its MySQL mode)
        return Map.of(
                "tableOptions",
                "",
                "quartzBoolean",
                "BOOLEAN",
                "storedColumn",
                "",
                "modifyColumn",
                "ALTER COLUMN",
                "secretNullable",
                "ALTER COLUMN secret SET NULL");
    }

    @Override
    public long currentTimeMillis(Connection c) throws SQLException {
        // CURRENT_TIMESTAMP carries its time zone, so the epoch does not depend on the session's
        return Sql.one(c, "SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(3)) * 1000 AS BIGINT)", rs -> rs.getLong(1))
                .orElseThrow();
    }

    @Override
    public String toString() {
        return name();
    }
}
