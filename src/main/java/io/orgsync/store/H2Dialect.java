package io.orgsync.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

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
    /** A lost race is settled after one more attempt; the third covers a winner that rolled back meanwhile. */
    private static final int ATTEMPTS = 3;

    private H2Dialect() {
    }

    @Override
    public String name() {
        return "H2";
    }

    @Override
    public void upsert(Connection c, Upsert row, Object... values) throws SQLException {
        row.checkBinds(values);
        List<Object> args = new ArrayList<>();
        List<String> match = new ArrayList<>();
        for (int i = 0; i < row.key().size(); i++) {
            match.add("t." + row.key().get(i) + " = ?");
            args.add(values[i]);
        }
        StringBuilder sql = new StringBuilder("MERGE INTO ").append(row.table()).append(" t USING (VALUES (1)) s (one) ON ")
                .append(String.join(" AND ", match));
        List<String> assignments = new ArrayList<>();
        for (String column : row.updated()) {
            assignments.add(row.onConflict(column) == Upsert.OnConflict.ADD ? column + " = t." + column + " + ?" : column + " = ?");
            args.add(values[row.columns().indexOf(column)]);
        }
        if (!assignments.isEmpty()) {
            sql.append(" WHEN MATCHED THEN UPDATE SET ").append(String.join(", ", assignments));
        }
        sql.append(" WHEN NOT MATCHED THEN INSERT (").append(String.join(", ", row.columns())).append(") VALUES (")
                .append(String.join(", ", Collections.nCopies(row.columns().size(), "?"))).append(")");
        args.addAll(Arrays.asList(values));
        for (int attempt = 1; ; attempt++) {
            try {
                Sql.update(c, sql.toString(), args.toArray());
                return;
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void insertIfAbsent(Connection c, Upsert row, Object... values) throws SQLException {
        if (!row.updated().isEmpty()) {
            throw new IllegalArgumentException("an insert-if-absent of " + row.table() + " updates nothing, not " + row.updated());
        }
        upsert(c, row, values);
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
        return Map.of("tableOptions", "", "quartzBoolean", "BOOLEAN");
    }

    @Override
    public String toString() {
        return name();
    }
}
