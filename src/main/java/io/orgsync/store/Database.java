package io.orgsync.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orgsync.config.Settings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The application's connection pool and schema. What SQL differs in between the databases is
 * the pool's {@link Dialect}, chosen from what its first connection says it is; the URL only
 * decides the driver's own options, which are needed before there is a connection.
 */
public final class Database implements AutoCloseable {
    private final Pool pool;
    private final String url;

    private Database(Pool pool, String url) {
        this.pool = pool;
        this.url = url;
    }

    /** Opens the pool named {@code name} (it shows in thread names and metrics). */
    public static Database open(Settings settings, String name, int maxPoolSize) {
        return open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.readOnly(), name, maxPoolSize);
    }

    public static Database open(
            String url, String user, String password, boolean readOnly, String name, int maxPoolSize) {
        return open(url, user, password, readOnly, name, maxPoolSize, CONNECTION_TIMEOUT);
    }

    /** How long a caller waits for a connection before the pool gives up (the database is gone or every connection busy). */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    /** {@code connectionTimeout}: as {@link #CONNECTION_TIMEOUT}, for a pool that should give up sooner. */
    public static Database open(
            String url,
            String user,
            String password,
            boolean readOnly,
            String name,
            int maxPoolSize,
            Duration connectionTimeout) {
        boolean h2 = url.startsWith("jdbc:h2:");
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(h2 ? h2Url(url) : url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        config.setReadOnly(readOnly);
        // fail fast at start-up with a readable error instead of hanging
        config.setInitializationFailTimeout(15_000);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        if (!h2) {
            config.addDataSourceProperty("rewriteBatchedStatements", "true");
            config.addDataSourceProperty("cachePrepStmts", "true");
            // the lookup query is longer than the driver's default 256-character cache limit
            config.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
            config.addDataSourceProperty("prepStmtCacheSize", "250");
            config.addDataSourceProperty("useServerPrepStmts", "false");
            config.addDataSourceProperty("connectionTimeZone", "UTC");
        }
        try {
            return new Database(new Pool(config), url);
        } catch (DatabaseUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DatabaseUnavailableException(
                    "Cannot connect to " + Settings.redactUrl(url) + ": " + rootMessage(e)
                            + ". Check ORGSYNC_DB_URL, ORGSYNC_DB_USER and ORGSYNC_DB_PASSWORD.",
                    e);
        }
    }

    private static String h2Url(String url) {
        String lower = url.toLowerCase();
        StringBuilder out = new StringBuilder(url);
        if (!lower.contains(";mode=")) {
            // behaves like the cluster's MySQL where standard SQL leaves room; orgsync's own SQL does not rely on it
            // (Dialect)
            out.append(";MODE=MySQL");
        }
        if (!lower.contains(";db_close_on_exit=")) {
            // the pool closes the database on shutdown, after the last job has finished
            out.append(";DB_CLOSE_ON_EXIT=FALSE");
        }
        return out.toString();
    }

    /** Applies the schema files ({@code sql/}, see {@link Schema}) that the database has not seen yet. */
    public MigrateResult migrate() {
        return Schema.migrate(pool, pool.dialect);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Dialect dialect() {
        return pool.dialect;
    }

    /** The JDBC URL as configured (for logs: pass it through {@link Settings#redactUrl}). */
    public String url() {
        return url;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** True when a connection can be had and answers within two seconds. */
    public boolean ping() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * The pool, which also answers {@code unwrap(Dialect.class)}: the stores built on its
     * DataSource find the dialect there ({@link Dialect#of(DataSource)}) without a connection.
     */
    private static final class Pool extends HikariDataSource {
        private final Dialect dialect;

        Pool(HikariConfig config) {
            super(config);
            try (Connection c = getConnection()) {
                this.dialect = Dialect.of(c);
            } catch (SQLException | RuntimeException e) {
                close();
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type == Dialect.class || super.isWrapperFor(type);
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return type == Dialect.class ? type.cast(dialect) : super.unwrap(type);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = io.orgsync.error.Causes.root(e);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
