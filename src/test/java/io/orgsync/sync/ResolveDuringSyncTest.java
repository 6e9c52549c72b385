package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.member.Mobile;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A resolve that stores a member while a sync of the same enterprise runs, on MariaDB. Between
 * the fetch and the apply (the run's progress callback after its last department holds the run
 * there while the resolve commits): the member a resolve stored is not departed by the run, nor
 * overwritten with what the run fetched before. Inside the apply (the test holds a lock on a
 * department row the apply must rewrite, so the apply waits after reading the members): the
 * resolve waits for the apply instead of writing under it, so the learned mobile is not written
 * back over and a member both insert is no duplicate key.
 */
class ResolveDuringSyncTest {
    private static final String SECRET = "resolve-sync-secret-0123456789";
    private static final AtomicInteger CORPS = new AtomicInteger();

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final MutableClock clock = new MutableClock();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private String url;
    private ApiNode node;
    private String corp;

    @BeforeEach
    void start() throws Exception {
        url = TestDatabases.mariadb("resolve_during_sync");
        node = ApiNode.start("resolve-during-sync", url, sim, Map.of("ORGSYNC_RESOLVE_RATE", "1000"), clock);
        corp = "ww-rds-" + CORPS.incrementAndGet();
        // an app created after 2022-06-20: user/list shows no mobile, so resolves are how mobiles are learned
        sim.createCorp(corp, SECRET, 4, 40, false);
        node.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, run(SyncProgress.NONE).status());
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        node.close();
    }

    @Test
    void whatAResolveStoredBetweenFetchAndApplyIsNeitherDepartedNorOverwritten() throws Exception {
        String knownMobile = activeMobiles().get(0);
        String known = useridOf(knownMobile);
        String lateMobile = "13912345670";
        Run run = run((c, done, total) -> {
            if (done < total) {
                return;
            }
            // every department is fetched; before the apply, a member joins (in an already fetched
            // department), another is renamed, and callers resolve both
            sim.post(
                    "/__sim/corps/" + corp + "/members",
                    Map.of("userid", "late-joiner", "name", "后来者", "department", List.of(1), "mobile", lateMobile));
            sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + known, Map.of("name", "同步中改名"));
            try {
                assertEquals(200, resolve(lateMobile).status());
                assertEquals(200, resolve(knownMobile).status());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
        assertEquals(
                0,
                run.membersRemoved(),
                "the member the resolve stored was departed by a run that fetched before it joined");
        assertEquals("late-joiner", lookup(lateMobile).path("userid").asText());
        JsonNode renamed = lookup(knownMobile);
        assertEquals(known, renamed.path("userid").asText());
        assertEquals(
                "同步中改名", renamed.path("name").asText(), "the run wrote back the name it fetched before the resolve");

        // the next run fetched after both: it agrees with the truth, learned mobiles included
        Run next = run(SyncProgress.NONE);
        assertEquals(RunStatus.SUCCEEDED, next.status(), next.error());
        List<String> differences = OrgTruth.fromExport(
                        sim.export(corp), Map.of("late-joiner", lateMobile, known, knownMobile))
                .diff(OrgTruth.fromDatabase(node.node.dataSource(), corp));
        assertTrue(differences.isEmpty(), OrgTruth.describe(differences));
    }

    @Test
    void aMobileResolvedDuringTheApplyIsNotWrittenBackOver() throws Exception {
        String mobile = activeMobiles().get(1);
        String userid = useridOf(mobile);
        // the run will rewrite this member's row (renamed) and a department row (renamed)
        sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + userid, Map.of("name", "新名字"));
        int department = renameADepartment();

        Outcome outcome = resolveWhileTheApplyWaits(department, mobile);

        assertEquals(RunStatus.SUCCEEDED, outcome.run.status(), outcome.run.error());
        assertEquals(200, outcome.resolve.status(), outcome.resolve::toString);
        JsonNode stored = lookup(mobile);
        assertEquals(
                userid,
                stored.path("userid").asText(),
                "the learned mobile was lost: the apply wrote back the row it read before the resolve");
        assertEquals("新名字", stored.path("name").asText());
    }

    @Test
    void aMemberResolvedDuringTheApplyIsNoDuplicateKey() throws Exception {
        String mobile = "13912345671";
        sim.post(
                "/__sim/corps/" + corp + "/members",
                Map.of("userid", "new-joiner", "name", "新人", "department", List.of(1), "mobile", mobile));
        int department = renameADepartment();

        Outcome outcome = resolveWhileTheApplyWaits(department, mobile);

        assertEquals(RunStatus.SUCCEEDED, outcome.run.status(), outcome.run.error());
        assertEquals(1, outcome.run.membersAdded());
        assertEquals(200, outcome.resolve.status(), outcome.resolve::toString);
        assertEquals("new-joiner", lookup(mobile).path("userid").asText());
    }

    private record Outcome(Run run, ApiNode.Response resolve) {}

    /**
     * Holds a lock on the department row the run's apply must rewrite, so that the apply waits
     * after reading the members; resolves the mobile meanwhile; then lets the apply go on.
     */
    private Outcome resolveWhileTheApplyWaits(int department, String mobile) throws Exception {
        try (Connection holder = connection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement ps =
                    holder.prepareStatement("SELECT name FROM department WHERE corp_id = ? AND id = ? FOR UPDATE")) {
                ps.setString(1, corp);
                ps.setLong(2, department);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                }
            }
            clock.advance(Duration.ofSeconds(1));
            Future<Run> run = pool.submit(() -> node.node.sync(corp, SyncProgress.NONE));
            Waiting.until(
                    Duration.ofSeconds(60),
                    "the apply waiting for the held department row",
                    () -> lockWaits() >= 1 || run.isDone());
            assertFalse(run.isDone(), "the run ended without waiting for the department row");
            Future<ApiNode.Response> resolve = pool.submit(() -> resolve(mobile));
            // before: the resolve writes under the waiting apply and returns; after: it waits for the apply
            Waiting.until(
                    Duration.ofSeconds(60),
                    "the resolve done or waiting for the apply",
                    () -> resolve.isDone() || lockWaits() >= 2);
            holder.rollback();
            return new Outcome(run.get(60, TimeUnit.SECONDS), resolve.get(60, TimeUnit.SECONDS));
        }
    }

    /** Transactions of this test's database waiting for a row lock. */
    private int lockWaits() throws Exception {
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(*) FROM information_schema.INNODB_TRX t "
                                + "JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int renameADepartment() {
        for (JsonNode d : sim.export(corp).path("departments")) {
            if (d.path("id").asInt() != 1) {
                sim.send(
                        "PATCH",
                        "/__sim/corps/" + corp + "/departments/" + d.path("id").asInt(),
                        Map.of("name", "改名部门"));
                return d.path("id").asInt();
            }
        }
        throw new AssertionError("no department below the root");
    }

    private Run run(SyncProgress progress) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        return node.node.sync(corp, progress);
    }

    private ApiNode.Response resolve(String mobile) throws Exception {
        return node.resolve(corp, mobile);
    }

    /** The one member a lookup answers for the mobile. */
    private JsonNode lookup(String mobile) throws Exception {
        ApiNode.Response r = node.get("/api/v1/members/by-mobile/" + mobile + "?corpId=" + corp);
        assertEquals(200, r.status(), () -> "lookup of " + mobile + ": " + r);
        assertEquals(1, r.json().path("members").size(), r::toString);
        return r.json().path("members").get(0);
    }

    private List<String> activeMobiles() {
        List<String> out = new java.util.ArrayList<>();
        sim.export(corp).path("members").forEach(m -> {
            if (m.path("status").asInt() == 1 && m.path("mobile").asText().matches("1[3-9]\\d{9}")) {
                out.add(Mobile.normalise(m.path("mobile").asText()).orElseThrow());
            }
        });
        return out;
    }

    private String useridOf(String mobile) {
        for (JsonNode m : sim.export(corp).path("members")) {
            if (mobile.equals(Mobile.normalise(m.path("mobile").asText()).orElse(null))) {
                return m.path("userid").asText();
            }
        }
        throw new AssertionError("no member with " + mobile);
    }

    private Connection connection() throws Exception {
        return DriverManager.getConnection(url, TestDatabases.user(url), TestDatabases.password(url));
    }
}
