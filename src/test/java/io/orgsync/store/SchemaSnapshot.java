package io.orgsync.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a migrated schema consists of, one line per column, index column and foreign-key column,
 * sorted, so that two databases' schemas compare with a readable difference. Columns come from
 * INFORMATION_SCHEMA (both databases have the standard view), indexes and foreign keys from the
 * driver's metadata (their INFORMATION_SCHEMA views differ). Flyway's history table is left out.
 */
final class SchemaSnapshot {
    private static final String HISTORY = "orgsync_schema_history";

    private SchemaSnapshot() {}

    /** {@code currentSchema}: the SQL expression naming the connection's schema, which differs per database. */
    static List<String> of(Connection c, String currentSchema, List<String> extraQueries) throws SQLException {
        List<String> lines = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, "
                            + "NUMERIC_PRECISION, IS_NULLABLE, COLUMN_DEFAULT, COLLATION_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = "
                            + currentSchema)) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    if (!table.equalsIgnoreCase(HISTORY)) {
                        lines.add("column " + table + "." + rs.getString(2) + " #" + rs.getInt(3) + " "
                                + rs.getString(4) + "("
                                + rs.getString(5) + "," + rs.getString(6) + ") nullable=" + rs.getString(7)
                                + " default=" + rs.getString(8)
                                + " collation=" + rs.getString(9));
                        if (!tables.contains(table)) {
                            tables.add(table);
                        }
                    }
                }
            }
            for (String query : extraQueries) {
                try (ResultSet rs = s.executeQuery(query)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder line = new StringBuilder("extra");
                        for (int i = 1; i <= n; i++) {
                            line.append(' ').append(rs.getString(i));
                        }
                        if (!line.toString().toLowerCase().contains(HISTORY)) {
                            lines.add(line.toString());
                        }
                    }
                }
            }
        }
        DatabaseMetaData meta = c.getMetaData();
        for (String table : tables) {
            try (ResultSet rs = meta.getIndexInfo(c.getCatalog(), c.getSchema(), table, false, false)) {
                while (rs.next()) {
                    if (rs.getString("COLUMN_NAME") != null) {
                        lines.add("index " + table + "." + rs.getString("INDEX_NAME") + " unique="
                                + !rs.getBoolean("NON_UNIQUE") + " #" + rs.getInt("ORDINAL_POSITION") + " "
                                + rs.getString("COLUMN_NAME"));
                    }
                }
            }
            try (ResultSet rs = meta.getImportedKeys(c.getCatalog(), c.getSchema(), table)) {
                while (rs.next()) {
                    lines.add("foreign key " + table + "." + rs.getString("FKCOLUMN_NAME") + " -> "
                            + rs.getString("PKTABLE_NAME") + "." + rs.getString("PKCOLUMN_NAME") + " #"
                            + rs.getInt("KEY_SEQ"));
                }
            }
        }
        lines.sort(null);
        return lines;
    }
}
