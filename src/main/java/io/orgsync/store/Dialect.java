package io.orgsync.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the SQL of the supported databases differs in, so that the feature stores write only SQL
 * that both accept and leave the rest to this one place. Chosen from what the pool's connection
 * says it is ({@link java.sql.DatabaseMetaData#getDatabaseProductName()}), never from the URL.
 * Table and column names are the caller's constants; values are always bound, never inlined.
 */
public interface Dialect {
    /** "MySQL" (also for MariaDB) or "H2". */
    String name();

    /**
     * Inserts the row, or when a row with its key exists, updates it as {@code row} says; atomic
     * against a concurrent insert of the same key (MySQL may still end a racing writer as a
     * deadlock victim, SQL state 40001, which may simply go again). {@code values} bind the row's
     * columns in the order {@link Upsert} names them, key columns first.
     */
    void upsert(Connection c, Upsert row, Object... values) throws SQLException;

    /**
     * Inserts the row unless a row with its key exists, which stays as it is (also when two writers
     * race): an upsert of a row that names no column to update.
     */
    default void insertIfAbsent(Connection c, Upsert row, Object... values) throws SQLException {
        if (!row.updated().isEmpty()) {
            throw new IllegalArgumentException(
                    "an insert-if-absent of " + row.table() + " updates nothing, not " + row.updated());
        }
        upsert(c, row, values);
    }

    /**
     * Deletes at most {@code limit} rows of {@code table} matching {@code where} (bound with
     * {@code args}) and returns how many: pruning in short transactions on big tables.
     */
    int deleteAtMost(Connection c, String table, String where, int limit, Object... args) throws SQLException;

    /**
     * Deletes every row of {@code table} matching {@code where}, {@code batch} rows at a time, each
     * batch in its own short transaction, until one comes back short; answers how many.
     */
    default int deleteInBatches(DataSource ds, String table, String where, int batch, Object... args)
            throws SQLException {
        int total = 0;
        int n;
        do {
            n = Sql.withConnection(ds, c -> deleteAtMost(c, table, where, batch, args));
            total += n;
        } while (n == batch);
        return total;
    }

    /** The values of the schema files' placeholders ({@code ${tableOptions}} and the like). */
    Map<String, String> schemaPlaceholders();

    /**
     * The database's time now, in milliseconds since the epoch, whatever the session's time zone:
     * the one clock the nodes compare times by ({@link DatabaseClock}).
     */
    long currentTimeMillis(Connection c) throws SQLException;

    /** The dialect of the database behind {@code ds}: the one {@link Database} chose, or read from a connection. */
    static Dialect of(DataSource ds) {
        try {
            if (ds.isWrapperFor(Dialect.class)) {
                return ds.unwrap(Dialect.class);
            }
            try (Connection c = ds.getConnection()) {
                return of(c);
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(
                    "Cannot tell which database ORGSYNC_DB_URL names: no connection answered", e);
        }
    }

    /** The dialect of the database {@code c} is connected to. */
    static Dialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        return switch (product) {
            case "H2" -> H2Dialect.INSTANCE;
            case "MySQL", "MariaDB" -> MySqlDialect.INSTANCE;
            default ->
                throw new DatabaseUnavailableException(
                        "orgsync runs on MySQL, MariaDB or H2, not on " + product + ". Check ORGSYNC_DB_URL.", null);
        };
    }
}
