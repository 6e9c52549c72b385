package io.orgsync.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * MySQL and MariaDB: {@code INSERT ... ON DUPLICATE KEY UPDATE}, which the server makes atomic
 * against a concurrent insert of the key. The new values are bound a second time rather than
 * read back with {@code VALUES(col)} (deprecated in MySQL 8) or a row alias (which MariaDB lacks).
 * Insert-if-absent is the same statement updating nothing: {@code INSERT IGNORE} would also turn
 * other errors, such as a value too long for its column, into silent truncation.
 */
final class MySqlDialect implements Dialect {
    static final MySqlDialect INSTANCE = new MySqlDialect();

    /** The options every table of the schema is created with: transactions, row locks, 4-byte UTF-8, exact comparison. */
    private static final String TABLE_OPTIONS = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

    private MySqlDialect() {}

    @Override
    public String name() {
        return "MySQL";
    }

    @Override
    public void upsert(Connection c, Upsert row, Object... values) throws SQLException {
        row.checkBinds(values);
        List<String> updated = row.updated();
        List<Object> args = new ArrayList<>(Arrays.asList(values));
        List<String> assignments = new ArrayList<>();
        for (String column : updated) {
            assignments.add(
                    row.onConflict(column) == Upsert.OnConflict.ADD
                            ? column + " = " + column + " + ?"
                            : column + " = ?");
            args.add(values[row.columns().indexOf(column)]);
        }
        if (assignments.isEmpty()) {
            String first = row.key().get(0);
            assignments.add(first + " = " + first);
        }
        Sql.update(c, insert(row) + " ON DUPLICATE KEY UPDATE " + String.join(", ", assignments), args.toArray());
    }

    @Override
    public int deleteAtMost(Connection c, String table, String where, int limit, Object... args) throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("a limited delete deletes at least one row, not " + limit);
        }
        return Sql.update(c, "DELETE FROM " + table + " WHERE " + where + " LIMIT " + limit, args);
    }

    @Override
    public Map<String, String> schemaPlaceholders() {
        // Quartz's own MySQL schema keeps its flags in VARCHAR(1); its JDBC delegate reads them either way.
        // modifyColumn: MySQL redefines a column with MODIFY (its ALTER COLUMN only sets defaults)
        return Map.of(
                "tableOptions",
                TABLE_OPTIONS,
                "quartzBoolean",
                "VARCHAR(1)",
                "storedColumn",
                " STORED",
                "modifyColumn",
                "MODIFY COLUMN",
                // H2 and MySQL drop a NOT NULL in different words
                "secretNullable",
                "MODIFY COLUMN secret VARCHAR(1024) NULL");
    }

    @Override
    public long currentTimeMillis(Connection c) throws SQLException {
        // UTC_TIMESTAMP, unlike NOW() and UNIX_TIMESTAMP(NOW()), does not pass through the session's time zone
        return Sql.one(
                        c,
                        "SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(3)) DIV 1000",
                        rs -> rs.getLong(1))
                .orElseThrow();
    }

    private static String insert(Upsert row) {
        return "INSERT INTO " + row.table() + " (" + String.join(", ", row.columns()) + ") VALUES ("
                + String.join(", ", Collections.nCopies(row.columns().size(), "?")) + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}
