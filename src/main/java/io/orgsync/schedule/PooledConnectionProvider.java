package io.orgsync.schedule;

import io.orgsync.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import org.quartz.utils.ConnectionProvider;

/** Hands Quartz a HikariCP pool of its own, so that sync work can never starve its check-ins. */
final class PooledConnectionProvider implements ConnectionProvider {
    private final Database database;

    PooledConnectionProvider(Database database) {
        this.database = database;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return database.connection();
    }

    @Override
    public void shutdown() {
        database.close();
    }

    @Override
    public void initialize() {
        // the pool is ready when it is handed over
    }
}
