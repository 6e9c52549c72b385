package io.orgsync.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orgsync.config.Settings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The application's connection pool and schema. The embedded H2 database runs in MySQL mode,
 * so that one set of queries serves both; the schema files differ per dialect ({@code sql/h2},
 * {@code sql/mysql}) because DDL does.
 */
public final class Database implements AutoCloseable {
    public enum Dialect { H2, MYSQL }

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final String url;

    private Database(HikariDataSource pool, Dialect dialect, String url) {
        this.pool = pool;
        this.dialect = dialect;
        this.url = url;
    }

    /** Opens the pool named {@code name} (it shows in thread names and metrics). */
    public static Database open(Settings settings, String name, int maxPoolSize) {
        return open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.readOnly(), name, maxPoolSize);
    }

    public static Database open(String url, String user, String password, boolean readOnly, String name, int maxPoolSize) {
        Dialect dialect = url.startsWith("jdbc:h2:") ? Dialect.H2 : Dialect.MYSQL;
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(dialect == Dialect.H2 ? h2Url(url) : url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        config.setReadOnly(readOnly);
        // fail fast at start-up with a readable error instead of hanging
        config.setInitializationFailTimeout(15_000);
        config.setConnectionTimeout(10_000);
        if (dialect == Dialect.MYSQL) {
            config.addDataSourceProperty("rewriteBatchedStatements", "true");
            config.addDataSourceProperty("cachePrepStmts", "true");
            // the lookup query is longer than the driver's default 256-character cache limit
            config.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
            config.addDataSourceProperty("prepStmtCacheSize", "250");
            config.addDataSourceProperty("useServerPrepStmts", "false");
            config.addDataSourceProperty("connectionTimeZone", "UTC");
        }
        try {
            return new Database(new HikariDataSource(config), dialect, url);
        } catch (RuntimeException e) {
            throw new DatabaseUnavailableException("Cannot connect to " + Settings.redactUrl(url)
                    + ": " + rootMessage(e) + ". Check ORGSYNC_DB_URL, ORGSYNC_DB_USER and ORGSYNC_DB_PASSWORD.", e);
        }
    }

    private static String h2Url(String url) {
        String lower = url.toLowerCase();
        StringBuilder out = new StringBuilder(url);
        if (!lower.contains(";mode=")) {
            out.append(";MODE=MySQL");
        }
        if (!lower.contains(";db_close_on_exit=")) {
            // the pool closes the database on shutdown, after the last job has finished
            out.append(";DB_CLOSE_ON_EXIT=FALSE");
        }
        return out.toString();
    }

    /** Applies the schema files of this dialect that the database has not seen yet. */
    public MigrateResult migrate() {
        return Flyway.configure()
                .dataSource(pool)
                .locations("classpath:sql/" + (dialect == Dialect.H2 ? "h2" : "mysql"))
                .table("orgsync_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return pool;
    }

    public Dialect dialect() {
        return dialect;
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

    static String rootMessage(Throwable e) {
        Throwable root = io.orgsync.error.Causes.root(e);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
