package io.orgsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.alert.Alert;
import io.orgsync.alert.AlertStore;
import io.orgsync.cluster.ClusterNode;
import io.orgsync.cluster.ClusterStoreAccess;
import io.orgsync.resolve.ResolveRetention;
import io.orgsync.resolve.ResolveStoreAccess;
import io.orgsync.sync.RunStore;
import io.orgsync.testing.TestDatabases;
import io.orgsync.token.Token;
import io.orgsync.token.TokenStoreAccess;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every statement that differs per database, run on each supported one (a subclass per
 * database): the {@link Dialect}'s operations, including under racing writers, the feature stores'
 * statements built on them, and the schema, including databases migrated from the per-dialect
 * copies that {@code sql/} replaced (kept in {@code src/test/resources/old-schema/}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreCompatibilityTest {
    private static final Upsert ROW = Upsert.into("compat_row", "k1", "k2")
            .keep("kept")
            .replace("replaced")
            .add("added");
    private static final Upsert ROW_IF_ABSENT =
            Upsert.into("compat_row", "k1", "k2").keep("kept", "replaced", "added");
    private static final int RACERS = 8;

    private Database db;

    /** A fresh, empty database of this kind. */
    abstract String url(String name);

    /** What the dialect of this kind of database calls itself. */
    abstract String dialectName();

    /** The folder under old-schema/ that held this database's copy of the schema. */
    abstract String oldCopy();

    /** The SQL expression naming the connection's schema in INFORMATION_SCHEMA. */
    abstract String currentSchema();

    /** Queries of what else this database records about tables (engine, collation), compared too. */
    abstract List<String> schemaFacts();

    /** A name of Flyway's history table as SQL names it here (Flyway creates the table with quoted names). */
    abstract String flywayName(String name);

    @BeforeAll
    void openDatabase() throws SQLException {
        db = open(url("store_compat"));
        db.migrate();
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE compat_row (k1 VARCHAR(32) NOT NULL, k2 INT NOT NULL, kept VARCHAR(32) NULL, "
                    + "replaced BIGINT NULL, added INT NOT NULL, PRIMARY KEY (k1, k2))");
        }
    }

    @AfterAll
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    // ---- the dialect

    @Test
    void theDialectIsTheOneTheConnectionNames() throws SQLException {
        assertEquals(dialectName(), db.dialect().name());
        assertSame(db.dialect(), Dialect.of(db.dataSource()));
        try (Connection c = db.connection()) {
            assertSame(db.dialect(), Dialect.of(c));
        }
    }

    @Test
    void upsertInsertsThenUpdatesEachColumnAsItSays() throws SQLException {
        upsert(ROW, "u", 1, "first", 10L, 1);
        upsert(ROW, "u", 2, "other", 99L, 7);
        assertEquals("first 10 1", row("u", 1));
        upsert(ROW, "u", 1, "second", 20L, 2);
        assertEquals("first 20 3", row("u", 1), "kept stays, replaced takes the new value, added sums");
        assertEquals("other 99 7", row("u", 2), "another key's row is untouched");
    }

    @Test
    void insertIfAbsentLeavesAnExistingRowAsItIs() throws SQLException {
        Sql.run(db.dataSource(), c -> {
            db.dialect().insertIfAbsent(c, ROW_IF_ABSENT, "i", 1, "first", 10L, 1);
            db.dialect().insertIfAbsent(c, ROW_IF_ABSENT, "i", 1, "second", 20L, 2);
        });
        assertEquals("first 10 1", row("i", 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> Sql.run(db.dataSource(), c -> db.dialect().insertIfAbsent(c, ROW, "i", 2, "x", 1L, 1)),
                "an insert-if-absent that would update is refused");
        assertThrows(IllegalArgumentException.class, () -> Upsert.into("compat_row; DROP TABLE x", "k1"));
    }

    @Test
    void racingUpsertsOfNewKeysCountEveryAdd() throws Exception {
        int keys = 30;
        race(keys, (c, key) -> db.dialect().upsert(c, ROW, "race", key, "r", 1L, 1));
        for (int key = 0; key < keys; key++) {
            assertEquals("r 1 " + RACERS, row("race", key), "key " + key);
        }
    }

    @Test
    void racingInsertIfAbsentCreateEachRowOnce() throws Exception {
        int keys = 30;
        race(keys, (c, key) -> db.dialect().insertIfAbsent(c, ROW_IF_ABSENT, "absent", key, "a", 5L, 1));
        for (int key = 0; key < keys; key++) {
            assertEquals("a 5 1", row("absent", key), "key " + key);
        }
    }

    @Test
    void deleteAtMostDeletesNoMoreThanItsLimit() throws SQLException {
        for (int key = 0; key < 30; key++) {
            upsert(ROW, key < 25 ? "prune" : "stay", key, null, null, 0);
        }
        List<Integer> deleted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            deleted.add(Sql.withConnection(
                    db.dataSource(), c -> db.dialect().deleteAtMost(c, "compat_row", "k1 = ?", 10, "prune")));
        }
        assertEquals(List.of(10, 10, 5, 0), deleted);
        assertEquals(5, count("SELECT COUNT(*) FROM compat_row WHERE k1 = 'stay'"));
    }

    // ---- the feature stores' statements built on it

    @Test
    void aTokenRowIsCreatedOnceAndItsLeaseGoesToOneHolder() throws SQLException {
        TokenStoreAccess tokens = new TokenStoreAccess(db.dataSource());
        tokens.ensureRow("compat:token");
        tokens.ensureRow("compat:token");
        assertTrue(tokens.tryLease("compat:token", "node-a", 1_000, 5_000));
        assertFalse(tokens.tryLease("compat:token", "node-b", 2_000, 6_000), "a live lease is not taken");
        assertTrue(tokens.store("compat:token", "node-a", new Token("t-1", 90_000, 60_000, 0), 3_000));
        tokens.ensureRow("compat:token");
        assertEquals(
                "t-1 1 null",
                text("SELECT access_token, version, lease_owner FROM upstream_token WHERE token_key = 'compat:token'"),
                "ensureRow leaves a stored token as it is");
        assertTrue(tokens.tryLease("compat:token", "node-b", 4_000, 8_000));
        assertFalse(tokens.tryLease("compat:token", "node-a", 7_000, 9_000));
        assertTrue(tokens.tryLease("compat:token", "node-a", 8_001, 12_000), "an expired lease is taken");
        assertEquals(1, count("SELECT COUNT(*) FROM upstream_token WHERE token_key = 'compat:token'"));
    }

    @Test
    void resolveReservationsFailuresAndMissesKeepTheDaysBudget() throws SQLException {
        ResolveStoreAccess resolves = new ResolveStoreAccess(db.dataSource());
        String corp = "ww-compat";
        String day = "2024-05-01";
        OptionalLong first = resolves.reserve(corp, day, 2, "node-a", 1_000, 60_000);
        OptionalLong second = resolves.reserve(corp, day, 2, "node-b", 1_000, 60_000);
        assertTrue(first.isPresent() && second.isPresent());
        assertFalse(resolves.reserve(corp, day, 2, "node-a", 1_000, 60_000).isPresent(), "two held of a budget of two");
        resolves.settleNotFound(first.getAsLong(), corp, day, "13800000001", 50_000);
        assertEquals(1, resolves.failures(corp, day));
        assertTrue(resolves.missRemembered(corp, "13800000001", 49_999));
        resolves.release(second.getAsLong());
        OptionalLong third = resolves.reserve(corp, day, 2, "node-a", 2_000, 60_000);
        assertTrue(third.isPresent(), "one failure, nothing held: one unit left");
        resolves.settleNotFound(third.getAsLong(), corp, day, "13800000001", 90_000);
        assertEquals(2, resolves.failures(corp, day), "the second failure adds to the first");
        assertTrue(
                resolves.missRemembered(corp, "13800000001", 89_999),
                "the miss's expiry was replaced by the later one");
        assertFalse(resolves.missRemembered(corp, "13800000001", 90_000));
        assertFalse(resolves.reserve(corp, day, 2, "node-a", 3_000, 60_000).isPresent(), "the day's budget is spent");
        assertTrue(
                resolves.reserve(corp, "2024-05-02", 2, "node-a", 3_000, 60_000).isPresent(),
                "the next day has its own");
        assertEquals(1, count("SELECT COUNT(*) FROM resolve_miss WHERE corp_id = 'ww-compat'"));
    }

    @Test
    void aHeartbeatInsertsTheNodeThenUpdatesIt() throws SQLException {
        ClusterStoreAccess cluster = new ClusterStoreAccess(db.dataSource());
        cluster.heartbeat(new ClusterNode("compat-node", "test", "1.0", true, false, false, 1_000, 1_000, true));
        cluster.heartbeat(new ClusterNode("compat-node", "prod", "1.1", false, true, true, 2_000, 5_000, true));
        List<ClusterNode> nodes = cluster.all(4_000).stream()
                .filter(n -> n.instanceId().equals("compat-node"))
                .toList();
        assertEquals(
                List.of(new ClusterNode("compat-node", "prod", "1.1", false, true, true, 2_000, 5_000, true)), nodes);
    }

    @Test
    void oneOfRacingAlertClaimsSendsAndTheOthersCount() throws Exception {
        AlertStore alerts = new AlertStore(db.dataSource(), "compat", false);
        Alert alert = new Alert("sync_failed", "ww-compat", "the sync failed");
        assertEquals(AlertStore.Claim.SEND, alerts.claim(alert, 1_000, 10_000, "node-a", "sent", "none"));
        assertEquals(AlertStore.Claim.SUPPRESSED, alerts.claim(alert, 5_000, 10_000, "node-b", "sent", "none"));
        assertEquals(
                AlertStore.Claim.SEND,
                alerts.claim(alert, 11_000, 10_000, "node-b", "sent", "none"),
                "the window passed");

        Alert racing = new Alert("sync_failed", "ww-racing", "the sync failed");
        AtomicInteger sent = new AtomicInteger();
        race(1, (c, key) -> {
            if (alerts.claim(racing, 1_000, 10_000, "node", "sent", "none") == AlertStore.Claim.SEND) {
                sent.incrementAndGet();
            }
        });
        assertEquals(1, sent.get());
        assertEquals(
                RACERS + " 1",
                text("SELECT raised_count, COUNT(*) FROM alert WHERE env = 'compat' AND subject = 'ww-racing' "
                        + "GROUP BY raised_count"));
    }

    @Test
    void pruningDeletesOldRowsInBatchesAndKeepsTheCurrentRun() throws SQLException {
        long cutoff = 1_000_000;
        long current;
        try (Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "INSERT INTO enterprise (corp_id, env, name, secret, cron, enabled, created_at, updated_at) "
                            + "VALUES ('ww-prune', 'test', 'Prune', 'plain:x', '0 0 * * * ?', TRUE, 0, 0)");
            for (int i = 0; i < 6; i++) {
                s.executeUpdate(
                        "INSERT INTO sync_run (corp_id, instance_id, status, started_at, finished_at) VALUES ('ww-prune', 'n', "
                                + "'SUCCEEDED', " + (i * 1_000) + ", " + (i < 4 ? i * 1_000 + 500 : cutoff + i) + ")");
            }
            current = count("SELECT MIN(id) FROM sync_run WHERE corp_id = 'ww-prune'");
            s.executeUpdate("UPDATE enterprise SET current_run_id = " + current + " WHERE corp_id = 'ww-prune'");
        }
        assertEquals(3, new RunStore(db.dataSource()).pruneFinishedBefore(cutoff));
        assertEquals(3, count("SELECT COUNT(*) FROM sync_run WHERE corp_id = 'ww-prune'"));
        assertEquals(
                1, count("SELECT COUNT(*) FROM sync_run WHERE id = " + current), "the enterprise's current run stays");

        // more than one batch (1,000) of each, and rows to keep
        batchInsert(
                "INSERT INTO resolve_miss (corp_id, mobile, expires_at) VALUES ('ww-prune', ?, ?)",
                2_300,
                10,
                (ps, i, old) -> {
                    ps.setString(1, "139" + String.format("%08d", i));
                    ps.setLong(2, old ? cutoff - 1 - i : cutoff + i);
                });
        batchInsert(
                "INSERT INTO resolve_budget (corp_id, day_key, failures) VALUES (?, ?, 1)", 1_200, 3, (ps, i, old) -> {
                    ps.setString(1, "ww-p" + i);
                    ps.setString(2, old ? "1969-12-31" : "2100-01-01");
                });
        ResolveRetention retention = new ResolveRetention(db.dataSource());
        assertEquals(2_300, retention.pruneMissesExpiredBefore(cutoff));
        assertEquals(10, count("SELECT COUNT(*) FROM resolve_miss WHERE corp_id = 'ww-prune'"));
        assertEquals(1_200, retention.pruneBudgetsBefore(cutoff));
        assertEquals(3, count("SELECT COUNT(*) FROM resolve_budget WHERE corp_id LIKE 'ww-p%'"));
    }

    // ---- the schema

    @Test
    void aDatabaseMigratedFromTheOldCopyMigratesAsItIsToTheSameSchema() throws SQLException {
        List<String> fresh = freshSchema();
        try (Database old = open(url("schema_old"))) {
            assertEquals(9, oldCopy(old, null).migrationsExecuted);
            Map<String, Integer> recorded = checksums(old);
            Map<String, Integer> merged;
            try (Database merging = fresh()) {
                merged = checksums(merging);
            }
            for (String version : recorded.keySet()) {
                Integer accepted = Schema.OLD_COPIES.get(dialectName()).get(version);
                assertEquals(
                        accepted != null ? accepted : merged.get(version),
                        recorded.get(version),
                        "version " + version + ": the old copy's checksum is listed, or the file did not change");
            }

            MigrateResult result = old.migrate();
            assertEquals(laterThanTheOldCopy(), result.migrationsExecuted, "only the versions the old copy never had");
            Map<String, Integer> after = new java.util.HashMap<>(checksums(old));
            after.keySet().retainAll(recorded.keySet());
            assertEquals(recorded, after, "the history is left as the old copy wrote it");
            assertTrue(
                    oldFlyway(old, null).validateWithResult().validationSuccessful,
                    "an earlier build still starts on it");
            assertSameSchema(fresh, snapshot(old));
        }
    }

    @Test
    void membersStoredBeforeTheMemberFieldsKeepTheirDataAndLoseTheirEmptyStrings() throws SQLException {
        try (Database earlier = open(url("schema_fields"))) {
            // the schema before V15: e-mails and positions stored '' where WeCom showed none
            Flyway.configure()
                    .dataSource(earlier.dataSource())
                    .locations("classpath:sql")
                    .placeholders(earlier.dialect().schemaPlaceholders())
                    .table("orgsync_schema_history")
                    .target(String.valueOf(versions().stream()
                            .filter(v -> v < 15)
                            .max(Integer::compare)
                            .orElseThrow()))
                    .load()
                    .migrate();
            Sql.run(earlier.dataSource(), c -> {
                String insert = "INSERT INTO member (corp_id, userid, name, mobile, mobile_source, email, position, "
                        + "status, main_department, departed, updated_at) VALUES ('ww-f', ?, ?, NULL, NULL, ?, ?, 2, 1, FALSE, 1)";
                Sql.update(c, insert, "hidden", "Hidden", "", "");
                Sql.update(c, insert, "shown", "Shown", "shown@corp.example.com", "Clerk");
                Sql.update(
                        c,
                        "INSERT INTO member_department (corp_id, userid, department_id) VALUES ('ww-f', 'shown', 1)");
            });
            earlier.migrate();
            assertEquals(
                    List.of(
                            "hidden Hidden null null 2 null null null",
                            "shown Shown shown@corp.example.com Clerk 2 null null null"),
                    Sql.withConnection(
                            earlier.dataSource(),
                            c -> Sql.query(
                                    c,
                                    "SELECT userid, name, email, position, status, alias, telephone, direct_leader "
                                            + "FROM member WHERE corp_id = 'ww-f' ORDER BY userid",
                                    rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                                            + rs.getString(4) + " " + rs.getInt(5) + " " + rs.getString(6) + " "
                                            + rs.getString(7) + " " + rs.getString(8))));
            assertEquals(
                    List.of("null"),
                    Sql.withConnection(
                            earlier.dataSource(),
                            c -> Sql.query(
                                    c,
                                    "SELECT is_leader FROM member_department WHERE corp_id = 'ww-f'",
                                    rs -> String.valueOf(rs.getString(1)))),
                    "a leader flag not read yet is not known");
            // a member a set-up only lists by id: nothing but its ids and departments is known
            Sql.run(
                    earlier.dataSource(),
                    c -> Sql.update(
                            c,
                            "INSERT INTO member (corp_id, userid, name, email, position, status, main_department, "
                                    + "departed, updated_at) VALUES ('ww-f', 'idonly', NULL, NULL, NULL, NULL, 1, FALSE, 1)"));
        }
    }

    @Test
    void aDatabaseHalfwayThroughTheOldCopyGetsTheRestFromSql() throws SQLException {
        List<String> fresh = freshSchema();
        try (Database old = open(url("schema_half"))) {
            assertEquals(4, oldCopy(old, "4").migrationsExecuted);
            assertEquals(5 + laterThanTheOldCopy(), old.migrate().migrationsExecuted);
            assertSameSchema(fresh, snapshot(old));
            assertEquals(0, old.migrate().migrationsExecuted);
        }
    }

    @Test
    void anyOtherChecksumMismatchStillFails() throws SQLException {
        try (Database edited = open(url("schema_edited"))) {
            edited.migrate();
            setChecksum(edited, "3", checksums(edited).get("3") + 1);
            assertThrows(FlywayException.class, edited::migrate, "an edited migration");
            String otherDialect = dialectName().equals("H2") ? "MySQL" : "H2";
            setChecksum(edited, "3", Schema.OLD_COPIES.get(otherDialect).get("3"));
            assertThrows(FlywayException.class, edited::migrate, "the other database's old copy");
            setChecksum(edited, "3", Schema.OLD_COPIES.get(dialectName()).get("3"));
            assertEquals(0, edited.migrate().migrationsExecuted, "this database's old copy");
        }
    }

    // ---- helpers

    private interface Racer {
        void run(Connection c, int key) throws SQLException;
    }

    private interface Binder {
        void bind(PreparedStatement ps, int i, boolean old) throws SQLException;
    }

    /** Every racer runs {@code work} on each key, all of them on the same key at once; a deadlock victim (40001) goes again. */
    private void race(int keys, Racer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        CyclicBarrier together = new CyclicBarrier(RACERS);
        try {
            List<Future<?>> racers = new ArrayList<>();
            for (int r = 0; r < RACERS; r++) {
                racers.add(pool.submit((Callable<Void>) () -> {
                    try (Connection c = db.connection()) {
                        for (int key = 0; key < keys; key++) {
                            together.await(1, TimeUnit.MINUTES);
                            for (int attempt = 1; ; attempt++) {
                                try {
                                    work.run(c, key);
                                    break;
                                } catch (SQLException e) {
                                    if (!"40001".equals(e.getSQLState()) || attempt >= 5) {
                                        throw e;
                                    }
                                }
                            }
                        }
                    } catch (SQLException | RuntimeException e) {
                        together.reset(); // the others stop waiting for this one, and its failure is the one reported
                        throw e;
                    }
                    return null;
                }));
            }
            ExecutionException first = null;
            for (Future<?> racer : racers) {
                try {
                    racer.get(2, TimeUnit.MINUTES);
                } catch (ExecutionException e) {
                    // the racers released from the barrier by a failed one report only that they were
                    if (first == null || first.getCause() instanceof java.util.concurrent.BrokenBarrierException) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void upsert(Upsert upsert, Object... values) throws SQLException {
        Sql.run(db.dataSource(), c -> db.dialect().upsert(c, upsert, values));
    }

    private String row(String k1, int k2) throws SQLException {
        return text("SELECT kept, replaced, added FROM compat_row WHERE k1 = '" + k1 + "' AND k2 = " + k2);
    }

    private String text(String sql) throws SQLException {
        try (Connection c = db.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                }
                rows.add(String.join(" ", values));
            }
            return String.join("\n", rows);
        }
    }

    private long count(String sql) throws SQLException {
        return Long.parseLong(text(sql));
    }

    private void batchInsert(String sql, int old, int kept, Binder binder) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < old + kept; i++) {
                binder.bind(ps, i, i < old);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private Database open(String url) {
        return Database.open(url, TestDatabases.user(url), TestDatabases.password(url), false, "compat", RACERS + 2);
    }

    private Database fresh() {
        Database fresh = open(url("schema_fresh"));
        fresh.migrate();
        return fresh;
    }

    private List<String> freshSchema() throws SQLException {
        try (Database fresh = fresh()) {
            List<String> schema = snapshot(fresh);
            assertTrue(
                    schema.stream()
                            .anyMatch(l -> l.startsWith("index alert.alert_env_last")
                                    || l.startsWith("index ALERT.ALERT_ENV_LAST")),
                    "the snapshot sees indexes: " + schema);
            assertTrue(schema.size() > 200, "the snapshot sees the schema: " + schema.size() + " lines");
            return schema;
        }
    }

    private static void assertSameSchema(List<String> fresh, List<String> migrated) {
        List<String> missing = fresh.stream().filter(l -> !migrated.contains(l)).toList();
        List<String> extra = migrated.stream().filter(l -> !fresh.contains(l)).toList();
        assertEquals(
                List.of(),
                missing,
                "in a fresh schema only (and " + extra.size() + " lines only in the migrated one: " + extra + ")");
        assertEquals(fresh, migrated);
    }

    private List<String> snapshot(Database database) throws SQLException {
        try (Connection c = database.connection()) {
            return SchemaSnapshot.of(c, currentSchema(), schemaFacts());
        }
    }

    /** Migrates as the builds before the merge did: this database's own copy, up to {@code target} (null: all). */
    /** Versions in sql/ after the old per-dialect copies ended (9): they never had two copies. */
    private static int laterThanTheOldCopy() {
        return (int) versions().stream().filter(v -> v > 9).count();
    }

    /** The versions of the files in sql/. */
    private static List<Integer> versions() {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(
                StoreCompatibilityTest.class.getResource("/sql").toURI()))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .toList();
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list the schema files", e);
        }
    }

    private MigrateResult oldCopy(Database database, String target) {
        return oldFlyway(database, target).migrate();
    }

    private Flyway oldFlyway(Database database, String target) {
        var config = Flyway.configure()
                .dataSource(database.dataSource())
                .locations("classpath:old-schema/" + oldCopy())
                .table("orgsync_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0");
        return (target == null ? config : config.target(target)).load();
    }

    private Map<String, Integer> checksums(Database database) throws SQLException {
        try (Connection c = database.connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + flywayName("version") + ", " + flywayName("checksum")
                        + " FROM " + flywayName("orgsync_schema_history") + " WHERE " + flywayName("checksum")
                        + " IS NOT NULL")) {
            Map<String, Integer> out = new TreeMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
            return out;
        }
    }

    private void setChecksum(Database database, String version, int checksum) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement ps = c.prepareStatement("UPDATE " + flywayName("orgsync_schema_history") + " SET "
                        + flywayName("checksum") + " = ? WHERE " + flywayName("version") + " = ?")) {
            ps.setInt(1, checksum);
            ps.setString(2, version);
            assertEquals(1, ps.executeUpdate());
        }
    }
}
