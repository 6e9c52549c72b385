package io.orgsync.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Reads that need more than one statement and must still see one committed state of the
 * database, as if they were one statement: a read-only transaction at REPEATABLE READ, where
 * MariaDB (and H2) give every statement the snapshot the first one saw, whatever isolation the
 * server defaults to. The pool puts the connection's isolation back when it is returned.
 */
public final class Snapshot {
    private Snapshot() {}

    public static <T> T read(DataSource ds, Sql.Work<T> work) throws SQLException {
        return Sql.inTransaction(ds, Connection.TRANSACTION_REPEATABLE_READ, work);
    }
}
