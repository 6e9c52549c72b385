package io.orgsync.schedule;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orgsync.Node;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.testing.QuartzTiming;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The maintenance job prunes run rows, expired "not found" memories, budget rows and finished
 * callback events older than ORGSYNC_RUN_RETENTION_DAYS, and callback nonces past their replay
 * window, and keeps the rest (each enterprise's last run and PENDING events too); it is a Quartz
 * job, so a node whose scheduler is disabled never runs it, and the first node that executes
 * jobs does.
 */
class MaintenanceTest {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void rowsPastTheRetentionArePrunedAndRecentOnesKept(String dialect) throws Exception {
        String url = TestDatabases.url(dialect, "maintenance");
        try (Node node = TestNode.node("maint-" + dialect, url, sim)
                .with("ORGSYNC_RUN_RETENTION_DAYS", 30)
                .start()) {
            node.enterprises().put("ww-prune", new EnterpriseChange("Prune", "s", TestNode.NEVER, true, null));
            Fixture f = Fixture.insert(url, "ww-prune");
            assertEquals(f.all(), counts(url), "the fixture");

            node.scheduler().triggerMaintenance();
            Waiting.until(
                    seconds(30), "the old rows to be pruned", () -> counts(url).equals(f.kept()));
            System.out.println(dialect + ": before " + f.all() + ", after " + counts(url));
            assertEquals(f.keptRunIds(), runIds(url), "recent runs and the enterprise's current run stay");
        }
    }

    @Test
    void aNodeWithTheSchedulerDisabledNeverRunsIt() throws Exception {
        String url = TestDatabases.mariadb("maintenance_off");
        try (Node api = TestNode.node("maint-api", url, sim)
                .with("ORGSYNC_SCHEDULER_ENABLED", false)
                .with("ORGSYNC_RUN_RETENTION_DAYS", 30)
                .with("ORGSYNC_ENV", "maint")
                .start()) {
            api.enterprises().put("ww-prune-off", new EnterpriseChange("Prune", "s", TestNode.NEVER, true, null));
            Fixture f = Fixture.insert(url, "ww-prune-off");
            api.scheduler().triggerMaintenance();
            // a node that executes jobs would take it within one pass of its scheduler thread
            Waiting.sleep(QuartzTiming.twoPasses());
            assertEquals(f.all(), counts(url), "pruned although no node executes jobs");
            assertEquals(1, pendingMaintenanceTriggers(url), "the one-shot trigger is still waiting");

            try (Node worker = TestNode.node("maint-worker", url, sim)
                    .with("ORGSYNC_RUN_RETENTION_DAYS", 30)
                    .with("ORGSYNC_ENV", "maint")
                    .start()) {
                Waiting.until(
                        seconds(30),
                        "the executing node to run the waiting maintenance",
                        () -> counts(url).equals(f.kept()));
                System.out.println(
                        "scheduler disabled: " + f.all() + " stayed; with an executing node: " + counts(url));
            }
        }
    }

    /** Old and recent rows of every pruned table; "kept" is what must survive a 30-day retention. */
    private record Fixture(Map<String, Integer> all, Map<String, Integer> kept, java.util.List<Long> keptRunIds) {
        static Fixture insert(String url, String corp) throws Exception {
            long now = System.currentTimeMillis();
            java.util.List<Long> kept = new java.util.ArrayList<>();
            try (Connection c = connect(url)) {
                for (long age : new long[] {400, 45, 31}) {
                    run(c, corp, now - age * DAY);
                }
                for (long age : new long[] {29, 1}) {
                    kept.add(run(c, corp, now - age * DAY));
                }
                // the enterprise's current run is its last one shown in /jobs: kept however old
                long current = run(c, corp, now - 60 * DAY);
                kept.add(0, current);
                update(c, "UPDATE enterprise SET current_run_id = ? WHERE corp_id = ?", current, corp);
                for (long age : new long[] {90, 31}) {
                    update(
                            c,
                            "INSERT INTO resolve_miss (corp_id, mobile, expires_at) VALUES (?, ?, ?)",
                            corp,
                            "1380000" + age,
                            now - age * DAY);
                }
                for (long age : new long[] {29, -1}) {
                    update(
                            c,
                            "INSERT INTO resolve_miss (corp_id, mobile, expires_at) VALUES (?, ?, ?)",
                            corp,
                            "1390000" + (age + 10),
                            now - age * DAY);
                }
                for (long age : new long[] {200, 32, 29, 0}) {
                    update(
                            c,
                            "INSERT INTO resolve_budget (corp_id, day_key, failures) VALUES (?, ?, 1)",
                            corp,
                            LocalDate.ofInstant(Instant.ofEpochMilli(now - age * DAY), CHINA)
                                    .toString());
                }
            }
            try (Connection c = connect(url)) {
                // events finished (applied, skipped, failed) before the retention go; a PENDING one never, however old
                for (String status : new String[] {"APPLIED", "SKIPPED", "FAILED"}) {
                    event(c, corp, status, now - 31 * DAY);
                    event(c, corp, status, now - 29 * DAY);
                }
                event(c, corp, "PENDING", now - 400 * DAY);
                // nonces are kept only as long as their timestamps could still be accepted (minutes)
                nonce(c, corp, "old-nonce", now - 31 * DAY);
                nonce(c, corp, "hour-nonce", now - Duration.ofHours(2).toMillis());
                nonce(c, corp, "fresh-nonce", now);
            }
            kept.sort(null);
            return new Fixture(
                    Map.of(
                            "sync_run", 6,
                            "resolve_miss", 4,
                            "resolve_budget", 4,
                            "callback_event", 7,
                            "callback_nonce", 3),
                    Map.of(
                            "sync_run", 3,
                            "resolve_miss", 2,
                            "resolve_budget", 2,
                            "callback_event", 4,
                            "callback_nonce", 1),
                    kept);
        }

        private static void event(Connection c, String corp, String status, long at) throws Exception {
            update(
                    c,
                    "INSERT INTO callback_event (corp_id, change_type, subject, create_time, fingerprint, payload, "
                            + "received_at, status, attempts, next_attempt_at, applied_at) "
                            + "VALUES (?, 'update_user', 'user:u1', ?, ?, '{}', ?, ?, 1, ?, ?)",
                    corp,
                    at / 1000,
                    String.format("%040d", at),
                    at,
                    status,
                    at,
                    status.equals("PENDING") ? null : at);
        }

        private static void nonce(Connection c, String corp, String nonce, long at) throws Exception {
            update(c, "INSERT INTO callback_nonce (corp_id, nonce, seen_at) VALUES (?, ?, ?)", corp, nonce, at);
        }

        private static long run(Connection c, String corp, long finishedAt) throws Exception {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sync_run (corp_id, instance_id, status, started_at, finished_at) "
                            + "VALUES (?, 'old-node', 'SUCCEEDED', ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, corp);
                ps.setLong(2, finishedAt - 10_000);
                ps.setLong(3, finishedAt);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        }
    }

    private static Connection connect(String url) throws Exception {
        return DriverManager.getConnection(url, TestDatabases.user(url), TestDatabases.password(url));
    }

    private static void update(Connection c, String sql, Object... args) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private static Map<String, Integer> counts(String url) throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        try (Connection c = connect(url);
                Statement s = c.createStatement()) {
            for (String table :
                    new String[] {"sync_run", "resolve_miss", "resolve_budget", "callback_event", "callback_nonce"}) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    out.put(table, rs.getInt(1));
                }
            }
        }
        return out;
    }

    private static java.util.List<Long> runIds(String url) throws Exception {
        java.util.List<Long> out = new java.util.ArrayList<>();
        try (Connection c = connect(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM sync_run ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static int pendingMaintenanceTriggers(String url) throws Exception {
        try (Connection c = connect(url);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE JOB_GROUP = ? AND TRIGGER_GROUP = ? AND TRIGGER_STATE = 'WAITING'")) {
            ps.setString(1, JobKeys.MAINTENANCE_GROUP);
            ps.setString(2, JobKeys.MANUAL_GROUP);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
