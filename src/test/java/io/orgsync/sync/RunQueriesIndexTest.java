package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.store.Database;
import io.orgsync.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run queries behind /admin/api/jobs and every run's start read a handful of index entries,
 * not every run the enterprise ever had: measured on MariaDB as the rows the storage engine
 * handed over (the session's Handler_read_* counters), with 3,000 kept runs of the enterprise.
 */
class RunQueriesIndexTest {
    private static final String CORP = "ww-many-runs";
    private static final int RUNS = 3000;
    /** A few index entries per query, whatever the number of runs. */
    private static final long BOUND = 20;

    private static Database db;
    private static RunStore runs;

    @BeforeAll
    static void fill() throws SQLException {
        String url = TestDatabases.mariadb("run_queries");
        // one connection: the session counters read are those of the queries measured
        db = Database.open(url, TestDatabases.user(url), TestDatabases.password(url), false, "run-queries", 1);
        db.migrate();
        runs = new RunStore(db.dataSource());
        long now = System.currentTimeMillis();
        try (Connection c = db.connection();
                Statement s = c.createStatement();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO sync_run (corp_id, instance_id, status, started_at, finished_at) "
                                + "VALUES (?, 'node-1', 'SUCCEEDED', ?, ?)")) {
            s.executeUpdate(
                    "INSERT INTO enterprise (corp_id, env, name, secret, cron, enabled, created_at, updated_at) "
                            + "VALUES ('" + CORP + "', 'test', 'Many runs', 'plain:x', '0 0 * * * ?', TRUE, 0, 0)");
            c.setAutoCommit(false);
            for (int i = 0; i < RUNS + 1000; i++) {
                // another enterprise's runs in between, as in a real table
                ps.setString(1, i % 4 == 3 ? "ww-other" : CORP);
                long started = now - (RUNS + 1000 - i) * 60_000L;
                ps.setLong(2, started);
                ps.setLong(3, started + 5_000);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
            c.setAutoCommit(true);
            s.execute("ANALYZE TABLE sync_run");
        }
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void previousFinishedAtReadsOneEntryNotEveryEarlierRun() throws Exception {
        long next = maxId() + 1;
        long[] result = new long[1];
        long rows = rowsRead(() -> result[0] = runs.previousFinishedAt(CORP, next));
        System.out.println("previousFinishedAt over " + RUNS + " runs: " + rows + " rows read; "
                + explain("SELECT finished_at FROM sync_run WHERE corp_id = '" + CORP
                        + "' AND finished_at IS NOT NULL AND id < " + next + " ORDER BY finished_at DESC LIMIT 1"));
        assertEquals(newestFinish(), result[0]);
        assertTrue(rows <= BOUND, rows + " rows read for the previous run's end");
    }

    @Test
    void theJobsQueriesReadAFewEntries() throws Exception {
        long running = rowsRead(() -> runs.running(CORP));
        long last = rowsRead(() -> runs.last(CORP));
        System.out.println("/jobs over " + RUNS + " runs: running() " + running + " rows, last() " + last + " rows");
        assertFalse(runs.running(CORP));
        assertEquals(maxIdOf(CORP), runs.last(CORP).orElseThrow().id());
        assertTrue(running <= BOUND, running + " rows read for running()");
        assertTrue(last <= BOUND, last + " rows read for last()");
    }

    @Test
    void theFreshnessQueryReadsAFewEntriesPerEnterprise() throws Exception {
        long rows = rowsRead(() -> runs.lastSuccesses("test"));
        System.out.println("lastSuccesses over " + RUNS + " runs: " + rows + " rows");
        LastSuccess only = runs.lastSuccesses("test").get(0);
        assertEquals(CORP, only.corpId());
        assertEquals(newestFinish(), only.lastSuccessAt());
        assertTrue(rows <= BOUND, rows + " rows read for the enterprise's last success");
    }

    /** Rows the engine handed over while {@code work} ran, less what reading the counters costs. */
    private static long rowsRead(Callable<?> work) throws Exception {
        long before = handlerReads();
        long overhead = handlerReads() - before;
        before = handlerReads();
        work.call();
        return handlerReads() - before - overhead;
    }

    private static long handlerReads() throws SQLException {
        try (Connection c = db.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read%'")) {
            long sum = 0;
            while (rs.next()) {
                sum += rs.getLong(2);
            }
            return sum;
        }
    }

    private static String explain(String sql) throws SQLException {
        try (Connection c = db.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            rs.next();
            return "EXPLAIN: type=" + rs.getString("type") + " key=" + rs.getString("key") + " rows="
                    + rs.getString("rows") + " extra=" + rs.getString("Extra");
        }
    }

    private static long maxId() throws SQLException {
        return scalar("SELECT MAX(id) FROM sync_run");
    }

    private static long maxIdOf(String corp) throws SQLException {
        return scalar("SELECT MAX(id) FROM sync_run WHERE corp_id = '" + corp + "'");
    }

    private static long newestFinish() throws SQLException {
        return scalar("SELECT MAX(finished_at) FROM sync_run WHERE corp_id = '" + CORP + "'");
    }

    private static long scalar(String sql) throws SQLException {
        try (Connection c = db.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
