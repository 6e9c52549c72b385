package io.orgsync.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for tests: an in-memory H2 one, or a new schema on the MariaDB/MySQL server at
 * 127.0.0.1:3306 (ORGSYNC_TEST_MYSQL_URL overrides it). When MariaDB is unreachable the test is
 * skipped with a loud message, unless ORGSYNC_TEST_REQUIRE_MYSQL=true (as in CI), where it fails.
 */
public final class TestDatabases {
    public static final String MYSQL_SERVER =
            System.getenv().getOrDefault("ORGSYNC_TEST_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/");
    public static final String MYSQL_USER = System.getenv().getOrDefault("ORGSYNC_TEST_MYSQL_USER", "root");
    public static final String MYSQL_PASSWORD = System.getenv().getOrDefault("ORGSYNC_TEST_MYSQL_PASSWORD", "");

    private static final String CHECKOUT =
            Integer.toHexString(System.getProperty("user.dir").hashCode() & 0xfffff);

    /** Databases created since the running test class started; {@link DropTestDatabases} drops them after it. */
    private static final List<String> CREATED = new ArrayList<>();

    private TestDatabases() {}

    public static String h2(String name) {
        return "jdbc:h2:mem:" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ";DB_CLOSE_DELAY=-1";
    }

    /** Creates (or re-creates) the database {@code orgsync_t_<name>} and returns its JDBC URL. */
    public static String mariadb(String name) {
        // the checkout's own suffix: two checkouts testing at once on one server must not drop each other's databases
        String db = "orgsync_t_" + name.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + CHECKOUT;
        try (Connection c = DriverManager.getConnection(MYSQL_SERVER, MYSQL_USER, MYSQL_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            synchronized (CREATED) {
                CREATED.add(db);
            }
        } catch (SQLException e) {
            String message = "MariaDB/MySQL at " + MYSQL_SERVER + " is unreachable (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("ORGSYNC_TEST_REQUIRE_MYSQL"))) {
                throw new IllegalStateException(message + " and ORGSYNC_TEST_REQUIRE_MYSQL=true", e);
            }
            System.err.println("\n!!!!! SKIPPING a MariaDB test: " + message + ". Start MariaDB to run it. !!!!!\n");
            Assumptions.abort(message);
        }
        return MYSQL_SERVER + db;
    }

    /**
     * Whether the database tests must run here, so that a skip is a failure:
     * ORGSYNC_TEST_REQUIRE_MYSQL=true (as .ci/run sets it) or CI=true.
     */
    public static boolean mysqlRequired(Map<String, String> env) {
        return "true".equals(env.get("ORGSYNC_TEST_REQUIRE_MYSQL")) || "true".equals(env.get("CI"));
    }

    /** Drops the databases created since the last call; a failure to drop is reported, never fatal. */
    static void dropCreated() {
        List<String> dbs;
        synchronized (CREATED) {
            dbs = new ArrayList<>(CREATED);
            CREATED.clear();
        }
        if (dbs.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(MYSQL_SERVER, MYSQL_USER, MYSQL_PASSWORD);
                Statement s = c.createStatement()) {
            for (String db : dbs) {
                s.execute("DROP DATABASE IF EXISTS " + db);
            }
        } catch (SQLException e) {
            System.err.println("could not drop the test databases " + dbs + ": " + e.getMessage());
        }
    }

    static void forgetCreated() {
        synchronized (CREATED) {
            CREATED.clear();
        }
    }

    /** The URL for a dialect name used in parameterised tests: "h2" or "mariadb". */
    public static String url(String dialect, String name) {
        return dialect.equals("h2") ? h2(name) : mariadb(name);
    }

    public static String user(String url) {
        return url.startsWith("jdbc:h2:") ? "sa" : MYSQL_USER;
    }

    public static String password(String url) {
        return url.startsWith("jdbc:h2:") ? "" : MYSQL_PASSWORD;
    }
}
