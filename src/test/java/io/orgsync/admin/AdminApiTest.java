package io.orgsync.admin;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.AdminClient.Reply;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * Every admin route over real HTTP, on a MariaDB cluster of three nodes sharing one database:
 * "sched" runs jobs, "api" has its scheduler disabled (it pauses and triggers jobs that "sched"
 * runs), and "staging" belongs to another environment. Every answer and log line of the class is
 * kept, and the last test asserts that none of them ever carried a secret.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiTest {
    static final String TOKEN = "admin-token-0123456789abcdef";
    static final String NEVER = "0 0 3 1 1 ? 2099";
    static final String APP_SECRET = "app-secret-ZZtop-777888999";
    static final String STAGING_SECRET = "staging-secret-Qq-4242";
    static final String WRONG_SECRET = "wrong-secret-Xx-31337";
    /** Every secret this class hands to orgsync; none may ever come back. */
    static final Set<String> SECRETS = new TreeSet<>(Set.of(APP_SECRET, STAGING_SECRET, WRONG_SECRET, TOKEN));

    static final List<String> ANSWERS = AdminClient.newLog();
    static final ListAppender<ILoggingEvent> LOG_LINES = new ListAppender<>();

    static SimulatorControl sim;
    static String dbUrl;
    static Node sched;
    static Node api;
    static Node staging;
    /** The scheduling node, and the node without a running scheduler, both with the token. */
    static AdminClient viaSched;

    static AdminClient viaApi;
    static AdminClient viaStaging;

    @BeforeAll
    static void startCluster() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        LOG_LINES.setContext(logging);
        LOG_LINES.start();
        logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(LOG_LINES);
        dbUrl = TestDatabases.mariadb("admin_api");
        sim = new SimulatorControl();
        sched = TestNode.node("sched", dbUrl, sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .start();
        api = TestNode.node("api", dbUrl, sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .with("ORGSYNC_SCHEDULER_ENABLED", "false")
                .start();
        staging = TestNode.node("staging-1", dbUrl, sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .with("ORGSYNC_ENV", "staging")
                .with("ORGSYNC_SCHEDULER_ENABLED", "false")
                .start();
        viaSched = client(sched, TOKEN);
        viaApi = client(api, TOKEN);
        viaStaging = client(staging, TOKEN);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG_LINES);
        for (Node n : new Node[] {staging, api, sched}) {
            if (n != null) {
                n.close();
            }
        }
        if (sim != null) {
            sim.close();
        }
    }

    static AdminClient client(Node node, String token) {
        return new AdminClient("http://127.0.0.1:" + node.port(), token, ANSWERS);
    }

    /** A simulated enterprise and its secret (remembered as one that must never come back). */
    static String corp(String corpId, int departments, int members) {
        String secret = "secret-" + corpId + "-9f8e7d6c5b";
        SECRETS.add(secret);
        sim.createCorp(corpId, secret, departments, members, true);
        return secret;
    }

    static Map<String, Object> enterprise(String name, String secret, String cron) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (secret != null) {
            m.put("secret", secret);
        }
        m.put("cron", cron);
        return m;
    }

    static JsonNode ok(Reply r) {
        assertEquals(200, r.status(), () -> "expected 200: " + r);
        return r.json();
    }

    static void error(int status, String code, Reply r) {
        assertEquals(status, r.status(), () -> "status of " + r);
        assertEquals(code, r.errorCode(), () -> "error code of " + r);
        assertNotNull(r.errorMessage(), () -> "a message that says what to do: " + r);
    }

    static JsonNode job(AdminClient via, String corpId) {
        for (JsonNode j : ok(via.get("/admin/api/jobs"))) {
            if (j.path("corpId").asText().equals(corpId)) {
                return j;
            }
        }
        return null;
    }

    static List<JsonNode> runs(AdminClient via, String corpId) {
        List<JsonNode> out = new ArrayList<>();
        ok(via.get("/admin/api/runs?corpId=" + corpId)).forEach(out::add);
        return out;
    }

    /** Waits for the enterprise's run count to reach {@code n} with the newest one finished, and returns it. */
    static JsonNode awaitFinishedRun(String corpId, int n) {
        return Waiting.await(seconds(45), "run #" + n + " of " + corpId + " to finish", () -> {
            List<JsonNode> runs = runs(viaApi, corpId);
            return runs.size() >= n && !runs.get(0).path("status").asText().equals("RUNNING") ? runs.get(0) : null;
        });
    }

    @Test
    void everyAdminRouteWantsTheBearerToken() throws Exception {
        List<String[]> routes = List.of(
                new String[] {"GET", "/admin/api/enterprises"},
                new String[] {"PUT", "/admin/api/enterprises/ww-auth"},
                new String[] {"DELETE", "/admin/api/enterprises/ww-auth"},
                new String[] {"PUT", "/admin/api/miniapps/wx-auth"},
                new String[] {"GET", "/admin/api/jobs"},
                new String[] {"POST", "/admin/api/jobs/ww-auth/pause"},
                new String[] {"POST", "/admin/api/jobs/ww-auth/resume"},
                new String[] {"POST", "/admin/api/jobs/ww-auth/trigger"},
                new String[] {"POST", "/admin/api/scheduler/pause-all"},
                new String[] {"POST", "/admin/api/scheduler/resume-all"},
                new String[] {"GET", "/admin/api/runs"},
                new String[] {"GET", "/admin/api/cluster"});
        Map<String, Object> body = enterprise("Auth", "auth-secret-abcdef", NEVER);
        for (AdminClient who : List.of(
                viaSched.withToken(null),
                viaSched.withToken("not-the-admin-token-at-all"),
                viaApi.withToken(TOKEN + "x"),
                viaApi.withToken(TOKEN.substring(1)))) {
            for (String[] route : routes) {
                Reply r = who.send(route[0], route[1], route[0].equals("PUT") ? body : null);
                error(401, "unauthorized", r);
            }
        }
        // nothing was created by the refused PUT
        assertTrue(ok(viaSched.get("/admin/api/enterprises")).findValuesAsText("corpId").stream()
                .noneMatch("ww-auth"::equals));

        // a node without ORGSYNC_ADMIN_TOKEN: the admin API is off, whatever the caller sends
        try (Node off = TestNode.node("no-admin", TestDatabases.h2("no_admin"), sim)
                .with("ORGSYNC_SCHEDULER_ENABLED", "false")
                .start()) {
            AdminClient anyone = client(off, TOKEN);
            for (AdminClient who : List.of(anyone, anyone.withToken(null))) {
                for (String[] route : routes) {
                    error(503, "admin_disabled", who.send(route[0], route[1], route[0].equals("PUT") ? body : null));
                }
            }
            Reply consolePage = anyone.withToken(null).get("/admin/");
            assertEquals(
                    200,
                    consolePage.status(),
                    "the console page itself is served; it tells the operator the API is off");
        }
    }

    @Test
    void enterprisesAreCreatedUpdatedAndDeleted() throws Exception {
        String secret = corp("ww-crud", 2, 8);
        Reply created = viaApi.put(
                "/admin/api/enterprises/ww-crud",
                Map.of("name", "Crud Co", "secret", secret, "cron", NEVER, "agentId", 1000002));
        JsonNode e = ok(created);
        assertEquals("ww-crud", e.path("corpId").asText());
        assertEquals("Crud Co", e.path("name").asText());
        assertEquals(NEVER, e.path("cron").asText());
        assertTrue(e.path("enabled").asBoolean());
        assertEquals(1000002, e.path("agentId").asLong());
        Instant createdAt = Instant.parse(e.path("createdAt").asText());
        assertEquals(
                Set.of(
                        "corpId",
                        "name",
                        "cron",
                        "enabled",
                        "agentId",
                        "createdAt",
                        "updatedAt",
                        "problem",
                        "callback",
                        "callbackUrl",
                        "secrets",
                        "access"),
                fieldNames(e),
                "no secret in " + e);
        assertEquals("{\"app\":true,\"contactSync\":false}", e.path("secrets").toString(), "which secrets, never them");
        assertTrue(e.path("access").path("checkedAt").isNull(), "no sync yet: " + e);
        assertTrue(e.path("problem").isNull(), "nothing keeps it from syncing: " + e);

        // an update without a secret keeps the stored one: the enterprise still syncs with it
        Thread.sleep(5);
        JsonNode updated = ok(viaApi.put("/admin/api/enterprises/ww-crud", Map.of("name", "Crud Company")));
        assertEquals("Crud Company", updated.path("name").asText());
        assertEquals(NEVER, updated.path("cron").asText(), "omitted fields keep their values");
        assertEquals(1000002, updated.path("agentId").asLong());
        assertEquals(createdAt, Instant.parse(updated.path("createdAt").asText()));
        assertTrue(Instant.parse(updated.path("updatedAt").asText()).isAfter(createdAt));
        ok(viaApi.post("/admin/api/jobs/ww-crud/trigger"));
        JsonNode run = awaitFinishedRun("ww-crud", 1);
        assertEquals("SUCCEEDED", run.path("status").asText(), "the kept secret still works: " + run);
        assertEquals(8, run.path("membersAdded").asInt());

        // listed, in its environment only
        JsonNode listed = ok(viaSched.get("/admin/api/enterprises"));
        assertTrue(listed.findValuesAsText("corpId").contains("ww-crud"));
        assertFalse(ok(viaStaging.get("/admin/api/enterprises"))
                .findValuesAsText("corpId")
                .contains("ww-crud"));

        // a bad cron: 400 that says what a valid one looks like
        Reply badCron = viaApi.put("/admin/api/enterprises/ww-crud", Map.of("cron", "every day at 3"));
        error(400, "invalid_request", badCron);
        assertTrue(
                badCron.errorMessage().contains("every day at 3")
                        && badCron.errorMessage().contains("0 0/30 * * * ?"),
                "the message quotes the bad cron and shows a good one: " + badCron);
        Reply newWithBadCron =
                viaApi.put("/admin/api/enterprises/ww-badcron", enterprise("x", "some-secret-123456", "* * *"));
        error(400, "invalid_request", newWithBadCron);
        assertFalse(ok(viaApi.get("/admin/api/enterprises"))
                .findValuesAsText("corpId")
                .contains("ww-badcron"));

        // bad types and shapes
        for (Object bad : List.of(
                Map.of("enabled", "yes"),
                Map.of("agentId", "abc"),
                Map.of("agentId", 1.5),
                Map.of("name", 5),
                Map.of("secret", List.of("a")),
                Map.of("cron", 7),
                Map.of("colour", "red"),
                "not json",
                "[1,2]",
                "null")) {
            Reply r = viaApi.put("/admin/api/enterprises/ww-crud", bad);
            error(400, "invalid_request", r);
        }
        error(400, "invalid_request", viaApi.put("/admin/api/enterprises/ww-new-nosecret", Map.of("cron", NEVER)));
        error(
                400,
                "invalid_request",
                viaApi.put("/admin/api/enterprises/bad%20id", enterprise("x", "some-secret-123456", NEVER)));
        JsonNode unchanged = ok(viaApi.get("/admin/api/enterprises")).findParents("corpId").stream()
                .filter(n -> n.path("corpId").asText().equals("ww-crud"))
                .findFirst()
                .orElseThrow();
        assertEquals("Crud Company", unchanged.path("name").asText(), "refused changes change nothing");
        assertEquals(NEVER, unchanged.path("cron").asText());

        // another environment owns it: 409 from there
        SECRETS.add(STAGING_SECRET);
        error(
                409,
                "conflict",
                viaStaging.put("/admin/api/enterprises/ww-crud", enterprise("Hijack", STAGING_SECRET, NEVER)));
        error(409, "conflict", viaStaging.delete("/admin/api/enterprises/ww-crud"));

        // delete: the enterprise, its job and its runs go
        Reply deleted = viaApi.delete("/admin/api/enterprises/ww-crud");
        ok(deleted);
        assertFalse(ok(viaSched.get("/admin/api/enterprises"))
                .findValuesAsText("corpId")
                .contains("ww-crud"));
        assertNull(job(viaSched, "ww-crud"));
        assertEquals(0, runs(viaSched, "ww-crud").size());
        error(404, "unknown_corp", viaApi.delete("/admin/api/enterprises/ww-crud"));
        error(404, "unknown_corp", viaApi.post("/admin/api/jobs/ww-crud/trigger"));
    }

    @Test
    void miniAppsAreCreatedAndUpdated() {
        sim.createApp("wx-admin-app", APP_SECRET);
        JsonNode app = ok(viaApi.put("/admin/api/miniapps/wx-admin-app", Map.of("name", "Shop", "secret", APP_SECRET)));
        assertEquals("wx-admin-app", app.path("appId").asText());
        assertEquals("Shop", app.path("name").asText());
        assertEquals("stable", app.path("tokenMode").asText(), "the stable token unless told otherwise");
        assertEquals(
                Set.of("appId", "name", "tokenMode", "createdAt", "updatedAt"), fieldNames(app), "no secret in " + app);
        JsonNode classic = ok(viaApi.put("/admin/api/miniapps/wx-admin-app", Map.of("tokenMode", "classic")));
        assertEquals("classic", classic.path("tokenMode").asText());
        assertEquals("Shop", classic.path("name").asText());
        error(400, "invalid_request", viaApi.put("/admin/api/miniapps/wx-admin-app", Map.of("tokenMode", "eternal")));
        error(400, "invalid_request", viaApi.put("/admin/api/miniapps/wx-other", Map.of("name", "No secret")));
        error(400, "invalid_request", viaApi.put("/admin/api/miniapps/wx-admin-app", Map.of("secret", 12)));
        error(400, "invalid_request", viaApi.put("/admin/api/miniapps/wx-admin-app", "{"));
        // the kept secret still fetches a token: the wxacode route answers with an image
        Reply image = viaApi.get("/api/v1/miniapps/wx-admin-app/wxacode?scene=a%3D1");
        assertEquals(200, image.status(), () -> "wxacode with the kept secret: " + image.status());
    }

    @Test
    void miniAppsAreListedWithoutSecretsAndDeleted() {
        String secretA = "app-secret-list-a-4711";
        String secretB = "app-secret-list-b-4712";
        SECRETS.addAll(List.of(secretA, secretB));
        sim.createApp("wx-list-a", secretA);
        sim.createApp("wx-list-b", secretB);
        ok(viaApi.put(
                "/admin/api/miniapps/wx-list-b", Map.of("name", "Shop B", "secret", secretB, "tokenMode", "classic")));
        ok(viaApi.put("/admin/api/miniapps/wx-list-a", Map.of("name", "Shop A", "secret", secretA)));

        // listed by any node, sorted by app id, in the shape PUT answers, never with a secret
        JsonNode listed = ok(viaSched.get("/admin/api/miniapps"));
        List<String> ids = listed.findValuesAsText("appId");
        assertTrue(ids.containsAll(List.of("wx-list-a", "wx-list-b")), "both apps: " + listed);
        assertEquals(ids.stream().sorted().toList(), ids, "by app id");
        for (JsonNode app : listed) {
            assertEquals(
                    Set.of("appId", "name", "tokenMode", "createdAt", "updatedAt"),
                    fieldNames(app),
                    "no secret in " + app);
        }
        JsonNode b = listed.get(ids.indexOf("wx-list-b"));
        assertEquals("Shop B", b.path("name").asText());
        assertEquals("classic", b.path("tokenMode").asText());
        assertEquals(
                "stable", listed.get(ids.indexOf("wx-list-a")).path("tokenMode").asText());

        // a code of B is served (and cached); deleted, B serves no code any more, cached or not
        String code = "/api/v1/miniapps/wx-list-b/wxacode?scene=list%3D1";
        assertEquals(200, viaApi.get(code).status());
        JsonNode deleted = ok(viaApi.delete("/admin/api/miniapps/wx-list-b"));
        assertEquals("wx-list-b", deleted.path("deleted").asText());
        assertFalse(ok(viaSched.get("/admin/api/miniapps"))
                .findValuesAsText("appId")
                .contains("wx-list-b"));
        error(404, "unknown_app", viaApi.get(code));
        error(404, "unknown_app", viaSched.get(code));
        error(404, "unknown_app", viaApi.delete("/admin/api/miniapps/wx-list-b"));
        error(400, "invalid_request", viaApi.delete("/admin/api/miniapps/bad%20id"));
        assertEquals(
                200,
                viaApi.get("/api/v1/miniapps/wx-list-a/wxacode?scene=list%3D1").status(),
                "the other app is untouched");

        // registered again, it works again
        ok(viaApi.put("/admin/api/miniapps/wx-list-b", Map.of("name", "Shop B", "secret", secretB)));
        assertEquals(200, viaSched.get(code).status());
    }

    @Test
    void jobsArePausedResumedAndTriggeredFromANodeThatRunsNone() {
        String secret = corp("ww-jobs", 3, 12);
        ok(viaApi.put("/admin/api/enterprises/ww-jobs", enterprise("Jobs Co", secret, NEVER)));

        JsonNode j = job(viaApi, "ww-jobs");
        assertNotNull(j);
        assertEquals(
                Set.of("corpId", "state", "cron", "nextFireTime", "previousFireTime", "lastRun", "problem"),
                fieldNames(j));
        assertEquals("NORMAL", j.path("state").asText());
        assertEquals(NEVER, j.path("cron").asText());
        // 03:00 on 1 January 2099 in Beijing (cron zone) is the evening before in UTC
        assertTrue(
                Instant.parse(j.path("nextFireTime").asText()).isAfter(Instant.parse("2098-12-31T00:00:00Z")),
                "next fire in 2099: " + j);
        assertTrue(j.path("previousFireTime").isNull());
        assertTrue(j.path("lastRun").isNull());

        JsonNode paused = ok(viaApi.post("/admin/api/jobs/ww-jobs/pause"));
        assertEquals("PAUSED", paused.path("state").asText());
        assertEquals("PAUSED", job(viaSched, "ww-jobs").path("state").asText(), "the other node sees it paused");

        Reply refused = viaApi.post("/admin/api/jobs/ww-jobs/trigger");
        error(409, "conflict", refused);
        assertTrue(refused.errorMessage().contains("force=true"), "the 409 says how to run it anyway: " + refused);
        assertEquals(0, runs(viaApi, "ww-jobs").size());

        ok(viaApi.post("/admin/api/jobs/ww-jobs/trigger?force=true"));
        JsonNode forced = awaitFinishedRun("ww-jobs", 1);
        assertEquals("SUCCEEDED", forced.path("status").asText(), () -> "forced run: " + forced);
        assertEquals("sched", forced.path("instanceId").asText(), "the node with the scheduler ran it");
        assertEquals(12, forced.path("membersAdded").asInt());
        assertEquals(3, forced.path("departments").asInt());
        assertTrue(forced.path("upstreamCalls").asInt() > 0);
        assertNotNull(forced.path("finishedAt").asText(null));
        assertEquals(
                Set.of(
                        "id",
                        "corpId",
                        "instanceId",
                        "status",
                        "startedAt",
                        "finishedAt",
                        "departments",
                        "membersAdded",
                        "membersUpdated",
                        "membersRemoved",
                        "upstreamCalls",
                        "drift",
                        "error"),
                fieldNames(forced));
        assertEquals(
                "PAUSED", job(viaApi, "ww-jobs").path("state").asText(), "a forced run leaves the schedule paused");

        JsonNode resumed = ok(viaApi.post("/admin/api/jobs/ww-jobs/resume"));
        assertEquals("NORMAL", resumed.path("state").asText());
        JsonNode triggered = ok(viaSched.post("/admin/api/jobs/ww-jobs/trigger"));
        assertEquals("ww-jobs", triggered.path("corpId").asText());
        JsonNode second = awaitFinishedRun("ww-jobs", 2);
        assertEquals("SUCCEEDED", second.path("status").asText());
        assertEquals(0, second.path("membersAdded").asInt(), "nothing new the second time");

        // runs: newest first, limit respected, lastRun is the newest
        List<JsonNode> all = runs(viaSched, "ww-jobs");
        assertEquals(2, all.size());
        assertTrue(all.get(0).path("id").asLong() > all.get(1).path("id").asLong(), "newest first: " + all);
        assertFalse(Instant.parse(all.get(0).path("startedAt").asText())
                .isBefore(Instant.parse(all.get(1).path("startedAt").asText())));
        JsonNode limited = ok(viaSched.get("/admin/api/runs?corpId=ww-jobs&limit=1"));
        assertEquals(1, limited.size());
        assertEquals(all.get(0).path("id").asLong(), limited.get(0).path("id").asLong());
        assertEquals(
                all.get(0).path("id").asLong(),
                job(viaApi, "ww-jobs").path("lastRun").path("id").asLong());
        JsonNode everyCorp = ok(viaSched.get("/admin/api/runs?limit=1000"));
        assertTrue(everyCorp.findValuesAsText("corpId").contains("ww-jobs"));
        for (String bad : List.of("0", "-1", "1001", "ten")) {
            error(400, "invalid_request", viaSched.get("/admin/api/runs?limit=" + bad));
        }
        // a new cron on a paused job keeps it paused
        ok(viaApi.post("/admin/api/jobs/ww-jobs/pause"));
        ok(viaApi.put("/admin/api/enterprises/ww-jobs", Map.of("cron", "0 0 4 1 1 ? 2099")));
        JsonNode recron = job(viaSched, "ww-jobs");
        assertEquals("PAUSED", recron.path("state").asText(), "rescheduled, still paused: " + recron);
        assertEquals("0 0 4 1 1 ? 2099", recron.path("cron").asText());
        // disabled: no schedule; resume says why instead of answering PAUSED again
        ok(viaApi.put("/admin/api/enterprises/ww-jobs", Map.of("enabled", false)));
        assertEquals("PAUSED", job(viaApi, "ww-jobs").path("state").asText());
        Reply resumeDisabled = viaApi.post("/admin/api/jobs/ww-jobs/resume");
        error(409, "conflict", resumeDisabled);
        assertTrue(resumeDisabled.errorMessage().contains("enabled"), resumeDisabled.toString());
        ok(viaApi.put("/admin/api/enterprises/ww-jobs", Map.of("enabled", true)));
        assertEquals("NORMAL", job(viaApi, "ww-jobs").path("state").asText(), "enabled again: scheduled again");

        error(404, "unknown_corp", viaApi.post("/admin/api/jobs/ww-nobody/pause"));
        error(404, "unknown_corp", viaApi.post("/admin/api/jobs/ww-nobody/resume"));
    }

    @Test
    void aRunningJobIsNotTriggeredTwice() {
        String secret = corp("ww-slow", 2, 6);
        ok(viaApi.put("/admin/api/enterprises/ww-slow", enterprise("Slow Co", secret, NEVER)));
        // the run's member call is held until the checks are made, then let go
        sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", "ww-slow", "latencyMs", 60_000, "count", 1));
        try {
            ok(viaSched.post("/admin/api/jobs/ww-slow/trigger"));
            // at once, before the run has even started: the pending trigger counts
            error(409, "conflict", viaApi.post("/admin/api/jobs/ww-slow/trigger"));
            Waiting.until(
                    seconds(20),
                    "ww-slow to show RUNNING",
                    () -> "RUNNING".equals(job(viaApi, "ww-slow").path("state").asText()));
            assertEquals(
                    "RUNNING", runs(viaApi, "ww-slow").get(0).path("status").asText());
            Reply again = viaApi.post("/admin/api/jobs/ww-slow/trigger");
            error(409, "conflict", again);
            assertTrue(again.errorMessage().contains("running"), again.toString());
            error(409, "conflict", viaSched.post("/admin/api/jobs/ww-slow/trigger?force=true"));
            sim.awaitAndReleaseHeldCall(seconds(20), "the run's held member call");
            JsonNode run = awaitFinishedRun("ww-slow", 1);
            assertEquals("SUCCEEDED", run.path("status").asText());
            assertEquals(1, runs(viaApi, "ww-slow").size(), "the refused triggers queued nothing");
            assertEquals("NORMAL", job(viaApi, "ww-slow").path("state").asText());
        } finally {
            sim.clearFaults();
            sim.releaseHeldCalls();
        }
    }

    @Test
    void pauseAllAndResumeAllActOnEveryJobOfTheEnvironment() {
        String s1 = corp("ww-all-1", 1, 3);
        String s2 = corp("ww-all-2", 1, 3);
        ok(viaApi.put("/admin/api/enterprises/ww-all-1", enterprise("All One", s1, NEVER)));
        ok(viaApi.put("/admin/api/enterprises/ww-all-2", enterprise("All Two", s2, NEVER)));
        ok(viaStaging.put("/admin/api/enterprises/ww-all-staging", enterprise("Staging", STAGING_SECRET, NEVER)));
        try {
            ok(viaApi.post("/admin/api/scheduler/pause-all"));
            for (JsonNode j : ok(viaSched.get("/admin/api/jobs"))) {
                assertEquals("PAUSED", j.path("state").asText(), "after pause-all: " + j);
            }
            assertEquals(
                    "NORMAL",
                    job(viaStaging, "ww-all-staging").path("state").asText(),
                    "another environment is not paused");
            error(409, "conflict", viaApi.post("/admin/api/jobs/ww-all-1/trigger"));
            // forced, a paused-all job still runs once
            ok(viaApi.post("/admin/api/jobs/ww-all-1/trigger?force=true"));
            assertEquals(
                    "SUCCEEDED", awaitFinishedRun("ww-all-1", 1).path("status").asText());

            ok(viaApi.post("/admin/api/scheduler/resume-all"));
            for (JsonNode j : ok(viaSched.get("/admin/api/jobs"))) {
                assertEquals("NORMAL", j.path("state").asText(), "after resume-all: " + j);
            }
            ok(viaSched.post("/admin/api/jobs/ww-all-2/trigger"));
            assertEquals(
                    "SUCCEEDED", awaitFinishedRun("ww-all-2", 1).path("status").asText());
        } finally {
            ok(viaApi.post("/admin/api/scheduler/resume-all"));
            ok(viaStaging.delete("/admin/api/enterprises/ww-all-staging"));
        }
    }

    @Test
    void aFailedRunTellsWhyWithoutTheSecret() {
        corp("ww-wrong", 1, 3);
        ok(viaApi.put("/admin/api/enterprises/ww-wrong", enterprise("Wrong Secret", WRONG_SECRET, NEVER)));
        ok(viaSched.post("/admin/api/jobs/ww-wrong/trigger"));
        JsonNode run = awaitFinishedRun("ww-wrong", 1);
        assertEquals("FAILED", run.path("status").asText());
        assertFalse(run.path("error").asText("").isBlank(), "the run says why: " + run);
        assertEquals(
                "FAILED", job(viaApi, "ww-wrong").path("lastRun").path("status").asText());
    }

    @Test
    void theClusterViewShowsEveryNode() {
        JsonNode nodes = ok(viaApi.get("/admin/api/cluster"));
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        nodes.forEach(n -> byId.put(n.path("instanceId").asText(), n));
        assertTrue(byId.keySet().containsAll(List.of("sched", "api", "staging-1")), "nodes: " + byId.keySet());
        JsonNode s = byId.get("sched");
        assertEquals("test", s.path("env").asText());
        assertEquals(Node.version(), s.path("version").asText());
        assertTrue(s.path("schedulerEnabled").asBoolean());
        assertFalse(s.path("readOnly").asBoolean());
        assertTrue(s.path("alive").asBoolean());
        assertFalse(s.path("fenced").asBoolean());
        assertTrue(
                Instant.parse(s.path("lastSeen").asText()).isAfter(Instant.now().minusSeconds(60)));
        assertFalse(byId.get("api").path("schedulerEnabled").asBoolean());
        assertEquals("staging", byId.get("staging-1").path("env").asText());
        for (JsonNode n : nodes) {
            assertEquals(
                    Set.of(
                            "instanceId",
                            "env",
                            "version",
                            "schedulerEnabled",
                            "readOnly",
                            "lastSeen",
                            "alive",
                            "fenced"),
                    fieldNames(n),
                    "the cluster view's fields");
        }
    }

    static Set<String> fieldNames(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void noAnswerOrLogLineEverCarriedASecret() {
        // the class's other tests ran first (this one is ordered last); their answers are all here
        assertTrue(ANSWERS.size() > 100, "answers recorded: " + ANSWERS.size());
        assertTrue(LOG_LINES.list.size() > 20, "log lines recorded: " + LOG_LINES.list.size());
        List<String> texts = new ArrayList<>(ANSWERS);
        List<ILoggingEvent> lines;
        synchronized (LOG_LINES) { // AppenderBase appends under the appender's lock
            lines = List.copyOf(LOG_LINES.list);
        }
        for (ILoggingEvent e : lines) {
            texts.add(e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        List<String> leaks = new ArrayList<>();
        for (String answer : texts) {
            for (String secret : SECRETS) {
                if (answer.contains(secret)) {
                    leaks.add(secret + " in " + answer);
                }
            }
        }
        assertEquals(List.of(), leaks);
    }
}
