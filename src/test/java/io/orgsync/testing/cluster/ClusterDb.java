package io.orgsync.testing.cluster;

import io.orgsync.store.Database;
import io.orgsync.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster's database on the MariaDB server at 127.0.0.1:3306: created fresh, migrated once
 * before any node starts, with a SELECT-only account for read-only nodes, and the queries the
 * tests check the cluster's outcome with (fresh connections each time, so that the helper
 * survives a database restart).
 */
public final class ClusterDb {
    public final String name;
    public final String url;
    public final String user = TestDatabases.MYSQL_USER;
    public final String password = TestDatabases.MYSQL_PASSWORD;
    public final String readOnlyUser;
    public final String readOnlyPassword = "ro-pass-" + Long.toHexString(System.nanoTime());

    private ClusterDb(String name, String url) {
        this.name = name;
        this.url = url;
        this.readOnlyUser = "ro_" + Integer.toHexString(name.hashCode() & 0x7fffffff);
    }

    /**
     * Tells checkouts apart: two working copies running the cluster tests at the same time on one
     * MariaDB server (seen: a main checkout and a branch) would otherwise drop each other's
     * databases half-way. The same checkout reuses its names run after run.
     */
    static final String CHECKOUT = Integer.toHexString(
            java.nio.file.Path.of("").toAbsolutePath().normalize().toString().hashCode() & 0x7fffffff);

    /**
     * Creates database orgsync_t_{@code name}_&lt;checkout&gt; (skipping the test when MariaDB is
     * unreachable, as TestDatabases does) and migrates it.
     */
    public static ClusterDb create(String name) {
        ClusterDb db = new ClusterDb(name + "_" + CHECKOUT, TestDatabases.mariadb(name + "_" + CHECKOUT));
        try (Database d = Database.open(db.url, db.user, db.password, false, "it-migrate", 2)) {
            d.migrate();
        }
        db.createReadOnlyAccount();
        return db;
    }

    /** The schema name, e.g. orgsync_t_nodekill. */
    public String schema() {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private void createReadOnlyAccount() {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP USER IF EXISTS '" + readOnlyUser + "'@'%'");
            s.execute("CREATE USER '" + readOnlyUser + "'@'%' IDENTIFIED BY '" + readOnlyPassword + "'");
            s.execute("GRANT SELECT ON " + schema() + ".* TO '" + readOnlyUser + "'@'%'");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the SELECT-only account: " + e.getMessage(), e);
        }
    }

    /** Drops the SELECT-only account (the database stays for inspection after a failure). */
    public void dropReadOnlyAccount() {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP USER IF EXISTS '" + readOnlyUser + "'@'%'");
        } catch (SQLException e) {
            // the server may be down after a failed restart test; nothing more to do
        }
    }

    /** Drops the database and the SELECT-only account (the tests keep theirs for inspection; the benchmark drops its own). */
    public void drop() {
        dropReadOnlyAccount();
        try (Connection c = DriverManager.getConnection(TestDatabases.MYSQL_SERVER, user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + schema());
        } catch (SQLException e) {
            System.err.println("could not drop " + schema() + ": " + e.getMessage());
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    public Connection connectReadOnly() throws SQLException {
        return DriverManager.getConnection(url, readOnlyUser, readOnlyPassword);
    }

    /** Runs of one enterprise (or all when null), oldest first. */
    public List<RunRow> runs(String corpId) {
        String sql = "SELECT id, corp_id, instance_id, status, started_at, finished_at, error FROM sync_run"
                + (corpId == null ? "" : " WHERE corp_id = ?") + " ORDER BY id";
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (corpId != null) {
                ps.setString(1, corpId);
            }
            List<RunRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long finished = rs.getLong(6);
                    out.add(new RunRow(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getLong(5),
                            rs.wasNull() ? null : finished,
                            rs.getString(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<RunRow> allRuns() {
        return runs(null);
    }

    /** userid → stored mobile (null when none) of the enterprise's members that have not departed. */
    public Map<String, String> members(String corpId) {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT userid, mobile FROM member WHERE corp_id = ? AND departed = FALSE")) {
            ps.setString(1, corpId);
            Map<String, String> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs per node (instance id → count), for the spread report. */
    public static Map<String, Integer> perNode(List<RunRow> runs) {
        Map<String, Integer> out = new TreeMap<>();
        runs.forEach(r -> out.merge(r.instanceId(), 1, Integer::sum));
        return out;
    }

    /** One value of SHOW GLOBAL STATUS per name asked for. */
    public Map<String, Long> globalStatus(List<String> names) {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS")) {
            Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            while (rs.next()) {
                all.put(rs.getString(1), rs.getString(2));
            }
            for (String n : names) {
                String v = all.get(n);
                out.put(n, v == null ? 0 : Long.parseLong(v));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
