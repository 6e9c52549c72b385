package io.orgsync.ops;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.http.HttpServer;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docs/openapi.yaml against the real server: a node syncing from the simulator, with data, and
 * a second node that requires the API token, has no admin token and loses its database at the
 * end. Every answer of the class is checked against the document (its status is documented
 * for the operation, its content type too, and a JSON body matches the schema, which allows no
 * field it does not name); every documented operation is called, every documented status is
 * seen but for the few listed in {@link #NOT_PROVOKED}; and the routes Javalin registered are
 * exactly the documented ones.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractTest {
    static final String ADMIN = "contract-admin-token-0123456789";
    static final String API = "contract-api-token-0123456789";
    static final String CORP = "ww-contract";
    static final String BAD_CORP = "ww-contract-bad";
    static final String APP = "wx-contract";
    static final String SUBSCRIPTION = "contract-sub";
    /** Documented answers this test does not provoke, and where they are tested. */
    static final Map<String, String> NOT_PROVOKED = Map.of(
            "putEnterprise 409",
                    "another environment's enterprise: AdminApiTest.enterprisesAreCreatedUpdatedAndDeleted",
            "deleteEnterprise 409",
                    "another environment's enterprise: AdminApiTest.enterprisesAreCreatedUpdatedAndDeleted",
            "putCallback 409",
                    "another environment's enterprise: CallbackEnvironmentTest.anotherEnvironmentNeitherTakesOverNorDrainsNorListsTheCallbacks",
            "deleteCallback 409",
                    "another environment's enterprise: CallbackEnvironmentTest.anotherEnvironmentNeitherTakesOverNorDrainsNorListsTheCallbacks",
            "listEvents 409",
                    "another environment's enterprise: CallbackEnvironmentTest.anotherEnvironmentNeitherTakesOverNorDrainsNorListsTheCallbacks",
            "listChanges 410", "a change log purged past after (ORGSYNC_CHANGE_RETENTION_DAYS): the feed's pull tests",
            "replaySubscription 410", "a replay from before what the change log holds: the feed's tests");

    static final String CB_TOKEN = "QDG6eK";
    static final String CB_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    static JsonNode doc;
    static SchemaRegistry schemas;
    static final Map<String, Schema> SCHEMA_CACHE = new ConcurrentHashMap<>();
    static SimulatorControl sim;
    static Node node;
    static Node plain;
    static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    /** "operationId" to the statuses seen. */
    static final Map<String, Set<Integer>> SEEN = new TreeMap<>();

    static final List<String> PROBLEMS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.yaml")) {
            doc = MonitoringFiles.YAML.readTree(in);
        }
        schemas = SchemaRegistry.withDialect(
                Dialects.getOpenApi31(),
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .formatAssertionsEnabled(true)
                        .build()));
        sim = new SimulatorControl();
        sim.createCorp(CORP, "secret-" + CORP + "-0123456789", 3, 20, true);
        sim.createCorp(BAD_CORP, "the-right-secret-0123456789", 2, 5, true);
        sim.createApp(APP, "app-secret-contract-0123456789");
        node = TestNode.node("contract", TestDatabases.h2("openapi_contract"), sim)
                .with("ORGSYNC_ADMIN_TOKEN", ADMIN)
                .start();
        plain = TestNode.on(TestDatabases.h2("openapi_contract_plain"), sim.baseUrl())
                .with("ORGSYNC_INSTANCE_ID", "plain")
                .with("ORGSYNC_API_TOKEN", API)
                .start();
    }

    @AfterAll
    static void stop() {
        for (Node n : new Node[] {plain, node}) {
            if (n != null) {
                n.close();
            }
        }
        if (sim != null) {
            sim.close();
        }
    }

    // ------------------------------------------------------------------ the document itself

    @Test
    @Order(1)
    void theNodeServesTheDocumentOfItsBuild() throws Exception {
        HttpResponse<byte[]> r = call(node, "GET", "/openapi.yaml", "/openapi.yaml", null, Map.of(), 200);
        assertArrayEquals(
                Files.readAllBytes(Path.of("docs/openapi.yaml")), r.body(), "the jar's copy is docs/openapi.yaml");
        assertTrue(doc.path("openapi").asText().startsWith("3.1."), "OpenAPI 3.1: " + doc.path("openapi"));
        Set<String> ids = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        operations().forEach((key, op) -> {
            String id = op.path("operationId").asText();
            if (id.isEmpty() || !ids.add(id)) {
                problems.add(key + ": operationId missing or used twice");
            }
            if (!op.path("responses").isObject() || op.path("responses").isEmpty()) {
                problems.add(key + ": no responses");
            }
        });
        // every reference points at something (a typo would only show when that answer comes back)
        collectRefs(doc, problems);
        assertEquals(List.of(), problems);
        // and the parser client generators build on reads it without a complaint
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed =
                new OpenAPIV3Parser().readContents(new String(r.body(), StandardCharsets.UTF_8), null, options);
        assertEquals(List.of(), parsed.getMessages(), "swagger-parser's messages");
        assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
        assertEquals(
                operations().size(),
                parsed.getOpenAPI().getPaths().values().stream()
                        .mapToInt(p -> p.readOperations().size())
                        .sum());
    }

    private static void collectRefs(JsonNode node, List<String> problems) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null
                    && (!ref.asText().startsWith("#/")
                            || doc.at(ref.asText().substring(1)).isMissingNode())) {
                problems.add("unresolved $ref " + ref.asText());
            }
            node.elements().forEachRemaining(child -> collectRefs(child, problems));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectRefs(child, problems));
        }
    }

    @Test
    @Order(2)
    void theRoutesAreExactlyTheDocumentedOnes() throws Exception {
        Set<String> registered = new TreeSet<>();
        for (HttpServer.Route route : NodeInternals.http(node).routes()) {
            registered.add(route.method() + " " + route.path());
        }
        Set<String> documented = new TreeSet<>(operations().keySet());
        // the console's files are served from the classpath folder admin/, not by routes
        Set<String> staticFiles = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("target/classes/admin"))) {
            files.forEach(f -> staticFiles.add("GET /admin/" + f.getFileName()));
        }
        Set<String> undocumented = new TreeSet<>(registered);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "routes the document lacks");
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(registered);
        missing.removeAll(staticFiles);
        assertEquals(Set.of(), missing, "documented routes the server does not have");
        Set<String> undocumentedFiles = new TreeSet<>(staticFiles);
        undocumentedFiles.removeAll(documented);
        assertEquals(Set.of(), undocumentedFiles, "console files the document lacks");
        assertTrue(registered.size() > 20, "routes seen: " + registered);
    }

    // ------------------------------------------------------------------ every operation, as documented

    @Test
    @Order(3)
    void everyOperationAnswersAsDocumented() throws Exception {
        N n = new N(node, ADMIN);
        n.call(
                "PUT",
                "/admin/api/enterprises/{corpId}",
                "/admin/api/enterprises/" + CORP,
                Map.of(
                        "name",
                        "Contract Co",
                        "secret",
                        "secret-" + CORP + "-0123456789",
                        "cron",
                        TestNode.NEVER,
                        "agentId",
                        1000002),
                200);
        n.call(
                "PUT",
                "/admin/api/enterprises/{corpId}",
                "/admin/api/enterprises/" + BAD_CORP,
                Map.of("name", "Bad Co", "secret", "a-wrong-secret-0123456789", "cron", TestNode.NEVER),
                200);
        n.call(
                "PUT",
                "/admin/api/enterprises/{corpId}",
                "/admin/api/enterprises/" + CORP,
                Map.of("cron", "every day at 3"),
                400);
        n.call("GET", "/admin/api/enterprises", "/admin/api/enterprises", null, 200);
        n.call(
                "PUT",
                "/admin/api/miniapps/{appId}",
                "/admin/api/miniapps/" + APP,
                Map.of("name", "Contract Shop", "secret", "app-secret-contract-0123456789"),
                200);
        n.call("PUT", "/admin/api/miniapps/{appId}", "/admin/api/miniapps/" + APP, Map.of("tokenMode", "eternal"), 400);
        n.call("GET", "/admin/api/miniapps", "/admin/api/miniapps", null, 200);

        // runs: one that succeeds, one that fails (a wrong secret: a failed run, alerts)
        n.call("POST", "/admin/api/jobs/{corpId}/trigger", "/admin/api/jobs/" + CORP + "/trigger", null, 200);
        awaitRuns(CORP, 1, "SUCCEEDED");
        n.call("POST", "/admin/api/jobs/{corpId}/trigger", "/admin/api/jobs/" + BAD_CORP + "/trigger", null, 200);
        awaitRuns(BAD_CORP, 1, "FAILED");
        n.call("GET", "/admin/api/runs", "/admin/api/runs?corpId=" + CORP, null, 200);
        n.call("GET", "/admin/api/runs", "/admin/api/runs?limit=20", null, 200);
        n.call("GET", "/admin/api/runs", "/admin/api/runs?limit=0", null, 400);
        n.call("GET", "/admin/api/jobs", "/admin/api/jobs", null, 200);
        n.call("POST", "/admin/api/jobs/{corpId}/pause", "/admin/api/jobs/" + CORP + "/pause", null, 200);
        n.call("POST", "/admin/api/jobs/{corpId}/trigger", "/admin/api/jobs/" + CORP + "/trigger", null, 409);
        n.call(
                "POST",
                "/admin/api/jobs/{corpId}/trigger",
                "/admin/api/jobs/" + CORP + "/trigger?force=true",
                null,
                200);
        awaitRuns(CORP, 2, "SUCCEEDED");
        n.call("POST", "/admin/api/jobs/{corpId}/resume", "/admin/api/jobs/" + CORP + "/resume", null, 200);
        n.call("POST", "/admin/api/jobs/{corpId}/pause", "/admin/api/jobs/ww-nobody/pause", null, 404);
        n.call("POST", "/admin/api/jobs/{corpId}/resume", "/admin/api/jobs/ww-nobody/resume", null, 404);
        n.call("POST", "/admin/api/jobs/{corpId}/trigger", "/admin/api/jobs/ww-nobody/trigger", null, 404);
        n.call("POST", "/admin/api/scheduler/pause-all", "/admin/api/scheduler/pause-all", null, 200);
        n.call("POST", "/admin/api/scheduler/resume-all", "/admin/api/scheduler/resume-all", null, 200);
        n.call("GET", "/admin/api/cluster", "/admin/api/cluster", null, 200);
        HttpResponse<byte[]> alerts = n.call("GET", "/admin/api/alerts", "/admin/api/alerts?limit=20", null, 200);
        assertTrue(
                MonitoringFiles.JSON.readTree(alerts.body()).size() > 0,
                "the failed run's alerts, to check their shape");
        n.call("GET", "/admin/api/alerts", "/admin/api/alerts?limit=lots", null, 400);

        // lookups from the stored copy
        String mobile =
                sim.export(CORP).path("members").get(0).path("mobile").asText().replaceAll("[\\s-]", "");
        String path = "/api/v1/members/by-mobile/{mobile}";
        n.call("GET", path, "/api/v1/members/by-mobile/" + mobile.replace("+", "%2B"), null, 200);
        n.call("GET", path, "/api/v1/members/by-mobile/" + mobile.replace("+", "%2B") + "?corpId=" + CORP, null, 200);
        n.call("GET", path, "/api/v1/members/by-mobile/19999999999", null, 404);
        n.call("GET", path, "/api/v1/members/by-mobile/not-a-number", null, 400);
        n.call("GET", path, "/api/v1/members/by-mobile/13800000000?corpId=bad%20id", null, 400);
        n.call("GET", "/api/v1/members/by-mobile", "/api/v1/members/by-mobile", null, 400);

        // resolves: stored, not found until the day's budget (10 % of 20 members) is spent
        String resolve = "/api/v1/members/resolve";
        n.call("POST", resolve, resolve, Map.of("corpId", CORP, "mobile", mobile), 200);
        n.call("POST", resolve, resolve, Map.of("corpId", CORP, "mobile", "13900000001"), 404);
        n.call("POST", resolve, resolve, Map.of("corpId", CORP, "mobile", "13900000002"), 404);
        n.call("POST", resolve, resolve, Map.of("corpId", CORP, "mobile", "13900000003"), 429);
        n.call("POST", resolve, resolve, Map.of("corpId", "ww-nobody", "mobile", "13900000004"), 404);
        n.call("POST", resolve, resolve, Map.of("corpId", BAD_CORP, "mobile", "13900000005"), 502);
        n.call("POST", resolve, resolve, "{\"corpId\": 7}", 400);
        n.call(
                "POST",
                resolve,
                resolve,
                "{\"corpId\":\"" + CORP + "\",\"mobile\":\"" + "1".repeat(1_100_000) + "\"}",
                413);

        // callbacks: settings, URL verification, one event, the events
        String cbPath = "/admin/api/enterprises/{corpId}/callback";
        n.call(
                "PUT",
                cbPath,
                "/admin/api/enterprises/" + CORP + "/callback",
                Map.of("token", CB_TOKEN, "aesKey", CB_AES_KEY),
                200);
        n.call(
                "PUT",
                cbPath,
                "/admin/api/enterprises/" + CORP + "/callback",
                Map.of("token", CB_TOKEN, "aesKey", "short"),
                400);
        n.call(
                "PUT",
                cbPath,
                "/admin/api/enterprises/ww-nobody/callback",
                Map.of("token", CB_TOKEN, "aesKey", CB_AES_KEY),
                404);
        n.call("GET", "/admin/api/enterprises", "/admin/api/enterprises", null, 200);
        io.orgsync.simulator.EventSealer wecom = new io.orgsync.simulator.EventSealer(CB_TOKEN, CB_AES_KEY, CORP);
        String cb = "/callbacks/wecom/{corpId}";
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        String echo = wecom.seal("contract-echo");
        HttpResponse<byte[]> verified = n.call(
                "GET",
                cb,
                "/callbacks/wecom/" + CORP + "?msg_signature=" + wecom.sign(ts, "1111", echo) + "&timestamp=" + ts
                        + "&nonce=1111&echostr=" + enc(echo),
                null,
                200);
        assertEquals("contract-echo", new String(verified.body(), StandardCharsets.UTF_8));
        n.call(
                "GET",
                cb,
                "/callbacks/wecom/" + CORP + "?msg_signature=" + "0".repeat(40) + "&timestamp=" + ts
                        + "&nonce=1112&echostr=" + enc(echo),
                null,
                400);
        n.call(
                "GET",
                cb,
                "/callbacks/wecom/" + BAD_CORP + "?msg_signature=x&timestamp=" + ts + "&nonce=1113&echostr=x",
                null,
                400);
        String sealed = wecom.seal(
                "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
                        + "<CreateTime>" + ts
                        + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>"
                        + "<ChangeType><![CDATA[delete_user]]></ChangeType><UserID><![CDATA[nobody-contract]]></UserID></xml>");
        String envelope = "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><Encrypt><![CDATA[" + sealed
                + "]]></Encrypt>" + "<AgentID><![CDATA[]]></AgentID></xml>";
        HttpResponse<byte[]> accepted = n.call(
                "POST",
                cb,
                "/callbacks/wecom/" + CORP + "?msg_signature=" + wecom.sign(ts, "2221", sealed) + "&timestamp=" + ts
                        + "&nonce=2221",
                envelope,
                200);
        assertEquals("success", new String(accepted.body(), StandardCharsets.UTF_8));
        n.call(
                "POST",
                cb,
                "/callbacks/wecom/" + CORP + "?msg_signature=" + wecom.sign(ts, "2221", sealed) + "&timestamp=" + ts
                        + "&nonce=2221",
                envelope,
                400);
        n.call(
                "POST",
                cb,
                "/callbacks/wecom/" + CORP + "?msg_signature=" + "0".repeat(40) + "&timestamp=" + ts + "&nonce=2222",
                envelope,
                400);
        n.call(
                "POST",
                cb,
                "/callbacks/wecom/" + CORP + "?msg_signature=x&timestamp=" + ts + "&nonce=2223",
                "<xml><Encrypt>" + "A".repeat(100_000) + "</Encrypt></xml>",
                400);
        n.call(
                "POST",
                cb,
                "/callbacks/wecom/" + BAD_CORP + "?msg_signature=x&timestamp=" + ts + "&nonce=2224",
                "<xml/>",
                400);
        n.call("GET", "/admin/api/events", "/admin/api/events?corpId=" + CORP + "&limit=10", null, 200);
        n.call("GET", "/admin/api/events", "/admin/api/events?limit=0", null, 400);
        n.call("DELETE", cbPath, "/admin/api/enterprises/" + BAD_CORP + "/callback", null, 200);

        // the read API over the stored copy
        JsonNode first = sim.export(CORP).path("members").get(0);
        String userid = first.path("userid").asText();
        n.call(
                "GET",
                "/api/v1/corps/{corpId}/members/{userid}",
                "/api/v1/corps/" + CORP + "/members/" + userid,
                null,
                200);
        n.call(
                "GET",
                "/api/v1/corps/{corpId}/members/{userid}",
                "/api/v1/corps/" + CORP + "/members/nobody-here",
                null,
                404);
        n.call(
                "GET",
                "/api/v1/corps/{corpId}/members/{userid}",
                "/api/v1/corps/" + CORP + "/members/bad%20id",
                null,
                400);
        String search = "/api/v1/corps/{corpId}/members";
        HttpResponse<byte[]> page = n.call("GET", search, "/api/v1/corps/" + CORP + "/members?limit=5", null, 200);
        String next =
                MonitoringFiles.JSON.readTree(page.body()).path("nextCursor").asText();
        assertTrue(!next.isEmpty(), "20 members, 5 a page: a next page");
        n.call("GET", search, "/api/v1/corps/" + CORP + "/members?limit=5&cursor=" + enc(next), null, 200);
        n.call(
                "GET",
                search,
                "/api/v1/corps/" + CORP + "/members?q=" + enc(userid.substring(0, 2)) + "&includeDeparted=true",
                null,
                200);
        n.call("GET", search, "/api/v1/corps/" + CORP + "/members?limit=0", null, 400);
        n.call("GET", search, "/api/v1/corps/ww-nobody/members", null, 404);
        String tree = "/api/v1/corps/{corpId}/departments";
        HttpResponse<byte[]> departments = n.call("GET", tree, "/api/v1/corps/" + CORP + "/departments", null, 200);
        long root = MonitoringFiles.JSON
                .readTree(departments.body())
                .get(0)
                .path("id")
                .asLong();
        n.call("GET", tree, "/api/v1/corps/" + CORP + "/departments?includeDeparted=maybe", null, 400);
        n.call("GET", tree, "/api/v1/corps/ww-nobody/departments", null, 404);
        String inDept = "/api/v1/corps/{corpId}/departments/{id}/members";
        n.call(
                "GET",
                inDept,
                "/api/v1/corps/" + CORP + "/departments/" + root + "/members?recursive=true&limit=5",
                null,
                200);
        n.call("GET", inDept, "/api/v1/corps/" + CORP + "/departments/" + root + "/members", null, 200);
        n.call("GET", inDept, "/api/v1/corps/" + CORP + "/departments/999999/members", null, 404);
        n.call("GET", inDept, "/api/v1/corps/" + CORP + "/departments/0/members", null, 400);

        // the change feed: the synced enterprise's changes, a page at a time; its subscriptions
        String changes = "/api/v1/corps/{corpId}/changes";
        HttpResponse<byte[]> changePage =
                n.call("GET", changes, "/api/v1/corps/" + CORP + "/changes?limit=5", null, 200);
        String after =
                MonitoringFiles.JSON.readTree(changePage.body()).path("next").asText();
        n.call("GET", changes, "/api/v1/corps/" + CORP + "/changes?after=" + after + "&limit=1000", null, 200);
        n.call("GET", changes, "/api/v1/corps/" + CORP + "/changes?after=soon", null, 400);
        n.call("GET", changes, "/api/v1/corps/" + CORP + "/changes?limit=0", null, 400);
        n.call("GET", changes, "/api/v1/corps/ww-nobody/changes", null, 404);
        String sub = "/admin/api/subscriptions/{name}";
        // nothing listens there: deliveries fail and are retried, which changes none of the answers
        String receiver = "http://127.0.0.1:9/contract-receiver";
        HttpResponse<byte[]> created = n.call(
                "PUT",
                sub,
                "/admin/api/subscriptions/" + SUBSCRIPTION,
                Map.of("url", receiver, "corpIds", List.of(CORP), "startAt", "beginning"),
                201);
        assertTrue(
                MonitoringFiles.JSON
                        .readTree(created.body())
                        .path("secret")
                        .asText()
                        .startsWith("whsec_"),
                "the generated secret, answered once");
        n.call(
                "PUT",
                sub,
                "/admin/api/subscriptions/" + SUBSCRIPTION,
                Map.of("url", receiver, "types", List.of("io.orgsync.member.updated", "io.orgsync.member.departed")),
                200);
        n.call("PUT", sub, "/admin/api/subscriptions/Not_A_Name", Map.of("url", receiver), 400);
        n.call("PUT", sub, "/admin/api/subscriptions/" + SUBSCRIPTION, Map.of("url", "ftp://example.com/"), 400);
        n.call("GET", "/admin/api/subscriptions", "/admin/api/subscriptions", null, 200);
        n.call("GET", sub, "/admin/api/subscriptions/" + SUBSCRIPTION, null, 200);
        n.call("GET", sub, "/admin/api/subscriptions/nobody", null, 404);
        String replay = "/admin/api/subscriptions/{name}/replay";
        n.call(
                "POST",
                replay,
                "/admin/api/subscriptions/" + SUBSCRIPTION + "/replay",
                Map.of("corpId", CORP, "after", 0),
                202);
        n.call(
                "POST",
                replay,
                "/admin/api/subscriptions/" + SUBSCRIPTION + "/replay",
                Map.of("corpId", CORP, "after", -1),
                400);
        n.call("POST", replay, "/admin/api/subscriptions/nobody/replay", Map.of("corpId", CORP, "after", 0), 404);
        n.call("DELETE", sub, "/admin/api/subscriptions/" + SUBSCRIPTION, null, 204);
        n.call("DELETE", sub, "/admin/api/subscriptions/" + SUBSCRIPTION, null, 404);

        // mini-program codes: served, not modified, refused parameters, unknown app, upstream refusals
        String code = "/api/v1/miniapps/{appId}/wxacode";
        HttpResponse<byte[]> image =
                n.call("GET", code, "/api/v1/miniapps/" + APP + "/wxacode?scene=a%3D1&width=430", null, 200);
        String etag = image.headers().firstValue("ETag").orElseThrow();
        n.call(
                "GET",
                code,
                "/api/v1/miniapps/" + APP + "/wxacode?scene=a%3D1&width=430",
                null,
                Map.of("If-None-Match", etag),
                304);
        n.call("GET", code, "/api/v1/miniapps/" + APP + "/wxacode", null, 400);
        n.call("GET", code, "/api/v1/miniapps/wx-nobody/wxacode?scene=a%3D1", null, 404);
        sim.fault(Map.of("path", "/wxa/getwxacodeunlimit", "appId", APP, "errcode", 40013, "count", 1));
        n.call("GET", code, "/api/v1/miniapps/" + APP + "/wxacode?scene=c%3D3", null, 502);
        sim.clearFaults();
        // last: the API is then left alone for the block's minute
        sim.fault(Map.of("path", "/wxa/getwxacodeunlimit", "appId", APP, "errcode", 45009, "count", 1));
        n.call("GET", code, "/api/v1/miniapps/" + APP + "/wxacode?scene=b%3D2", null, 429);
        sim.clearFaults();

        // operations, console
        n.call("GET", "/health", "/health", null, 200);
        n.call("GET", "/metrics", "/metrics", null, 200);
        n.call("GET", "/admin", "/admin", null, 302);
        n.call("GET", "/admin", "/admin/", null, 200);
        n.call("GET", "/admin/index.html", "/admin/index.html", null, 200);
        n.call("GET", "/admin/console.js", "/admin/console.js", null, 200);
        n.call("GET", "/admin/org.js", "/admin/org.js", null, 200);
        n.call("GET", "/admin/subscriptions.js", "/admin/subscriptions.js", null, 200);
        n.call("GET", "/admin/console.css", "/admin/console.css", null, 200);

        // conflicts and removals
        n.call(
                "PUT",
                "/admin/api/enterprises/{corpId}",
                "/admin/api/enterprises/" + CORP,
                Map.of("enabled", false),
                200);
        n.call("POST", "/admin/api/jobs/{corpId}/resume", "/admin/api/jobs/" + CORP + "/resume", null, 409);
        n.call("DELETE", "/admin/api/miniapps/{appId}", "/admin/api/miniapps/" + APP, null, 200);
        n.call("DELETE", "/admin/api/miniapps/{appId}", "/admin/api/miniapps/" + APP, null, 404);
        n.call("DELETE", "/admin/api/miniapps/{appId}", "/admin/api/miniapps/bad%20id", null, 400);
        n.call("DELETE", "/admin/api/enterprises/{corpId}", "/admin/api/enterprises/" + BAD_CORP, null, 200);
        n.call("DELETE", "/admin/api/enterprises/{corpId}", "/admin/api/enterprises/" + BAD_CORP, null, 404);

        // every protected operation without its token, from the document's own security
        operations().forEach((key, op) -> {
            String method = key.substring(0, key.indexOf(' '));
            String template = key.substring(key.indexOf(' ') + 1);
            Set<String> schemes = securitySchemes(op);
            try {
                // an operation open to anonymous callers takes the admin token as one of its alternatives
                if (schemes.contains("adminToken") && !anonymousAllowed(op)) {
                    N anonymous = new N(node, null);
                    anonymous.call(method, template, concrete(template), body(method), Map.of(), 401);
                    anonymous.call(
                            method,
                            template,
                            concrete(template),
                            body(method),
                            Map.of("Authorization", "Bearer " + ADMIN + "x"),
                            401);
                    new N(plain, null)
                            .call(
                                    method,
                                    template,
                                    concrete(template),
                                    body(method),
                                    Map.of("Authorization", "Bearer " + ADMIN),
                                    503);
                }
                if (schemes.contains("apiToken")) {
                    new N(plain, null).call(method, template, concrete(template), body(method), Map.of(), 401);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // the second node with its token: answers as documented; then without its database
        N withToken = new N(plain, null);
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + API);
        withToken.call("GET", path, "/api/v1/members/by-mobile/13800000000", null, bearer, 404);
        withToken.call("GET", "/health", "/health", null, 200);
        NodeInternals.db(plain).close();
        withToken.call("GET", "/health", "/health", null, 503);
        // read answers may come from the cache while the versions it last read are fresh (ORGSYNC_CACHE_STALENESS)
        Waiting.until(
                seconds(10),
                "the read cache no longer trusts the versions",
                () -> send(plain, "GET", "/api/v1/corps/" + CORP + "/departments?includeDeparted=true", null, bearer)
                                .statusCode()
                        == 503);
        withToken.call("GET", path, "/api/v1/members/by-mobile/13800000000", null, bearer, 503);
        withToken.call(
                "GET",
                "/api/v1/corps/{corpId}/members/{userid}",
                "/api/v1/corps/" + CORP + "/members/someone",
                null,
                bearer,
                503);
        withToken.call(
                "GET", "/api/v1/corps/{corpId}/members", "/api/v1/corps/" + CORP + "/members?q=a", null, bearer, 503);
        withToken.call(
                "GET",
                "/api/v1/corps/{corpId}/departments",
                "/api/v1/corps/" + CORP + "/departments",
                null,
                bearer,
                503);
        withToken.call(
                "GET",
                "/api/v1/corps/{corpId}/departments/{id}/members",
                "/api/v1/corps/" + CORP + "/departments/1/members",
                null,
                bearer,
                503);
        withToken.call(
                "GET",
                "/callbacks/wecom/{corpId}",
                "/callbacks/wecom/" + CORP + "?msg_signature=x&timestamp=1&nonce=1&echostr=x",
                null,
                503);
        withToken.call(
                "POST",
                "/callbacks/wecom/{corpId}",
                "/callbacks/wecom/" + CORP + "?msg_signature=x&timestamp=1&nonce=1",
                // well-formed, so that the settings are read: from the database that is gone
                "<xml><Encrypt>AAAA</Encrypt></xml>",
                503);
        withToken.call("POST", resolve, resolve, Map.of("corpId", CORP, "mobile", "13900000009"), bearer, 503);
        withToken.call(
                "GET",
                "/api/v1/corps/{corpId}/changes",
                "/api/v1/corps/" + CORP + "/changes?after=0",
                null,
                bearer,
                503);
        withToken.call("GET", code, "/api/v1/miniapps/" + APP + "/wxacode?scene=a%3D1", null, bearer, 503);

        assertEquals(List.of(), PROBLEMS, "answers that differ from the document");
        List<String> unseen = new ArrayList<>();
        operations().forEach((key, op) -> {
            String id = op.path("operationId").asText();
            for (Iterator<String> it = op.path("responses").fieldNames(); it.hasNext(); ) {
                String status = it.next();
                if (!SEEN.getOrDefault(id, Set.of()).contains(Integer.parseInt(status))
                        && !NOT_PROVOKED.containsKey(id + " " + status)) {
                    unseen.add(id + " " + status);
                }
            }
        });
        assertEquals(List.of(), unseen, "documented answers no call of this test saw");
    }

    /** Whether the operation's security lists the empty requirement: no token needed where the node sets none. */
    private static boolean anonymousAllowed(JsonNode op) {
        for (JsonNode requirement : op.path("security")) {
            if (requirement.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> securitySchemes(JsonNode op) {
        Set<String> out = new TreeSet<>();
        for (JsonNode requirement : op.path("security")) {
            requirement.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    private static String concrete(String template) {
        return template.replace("{corpId}", CORP)
                        .replace("{appId}", APP)
                        .replace("{mobile}", "13800000000")
                        .replace("{userid}", "someone")
                        .replace("{id}", "1")
                        .replace("{name}", SUBSCRIPTION)
                + (template.endsWith("/wxacode") ? "?scene=a%3D1" : "");
    }

    private static Object body(String method) {
        return method.equals("PUT") || method.equals("POST") ? Map.of("corpId", CORP, "mobile", "13800000000") : null;
    }

    private static void awaitRuns(String corpId, int count, String newestStatus) {
        Waiting.until(seconds(60), count + " runs of " + corpId + ", the newest " + newestStatus, () -> {
            HttpResponse<byte[]> r = send(
                    node, "GET", "/admin/api/runs?corpId=" + corpId, null, Map.of("Authorization", "Bearer " + ADMIN));
            JsonNode runs = MonitoringFiles.JSON.readTree(r.body());
            return runs.size() == count && runs.get(0).path("status").asText().equals(newestStatus);
        });
    }

    // ------------------------------------------------------------------ calling and checking

    /** A node and the admin token its calls carry (none when null). */
    record N(Node node, String adminToken) {
        HttpResponse<byte[]> call(String method, String template, String path, Object body, int expected)
                throws Exception {
            return call(method, template, path, body, Map.of(), expected);
        }

        HttpResponse<byte[]> call(
                String method, String template, String path, Object body, Map<String, String> headers, int expected)
                throws Exception {
            Map<String, String> all = new HashMap<>();
            if (adminToken != null && template.startsWith("/admin/api")) {
                all.put("Authorization", "Bearer " + adminToken);
            }
            all.putAll(headers);
            return OpenApiContractTest.call(node, method, template, path, body, all, expected);
        }
    }

    static HttpResponse<byte[]> call(
            Node target,
            String method,
            String template,
            String path,
            Object body,
            Map<String, String> headers,
            int expected)
            throws Exception {
        HttpResponse<byte[]> r = send(target, method, path, body, headers);
        String what = method + " " + path.substring(0, Math.min(path.length(), 120)) + " (" + template + ") -> "
                + r.statusCode();
        if (r.statusCode() != expected) {
            PROBLEMS.add(what + ": expected " + expected + ": " + text(r));
        }
        PROBLEMS.addAll(
                check(method, template, r).stream().map(p -> what + ": " + p).toList());
        return r;
    }

    static HttpResponse<byte[]> send(Node target, String method, String path, Object body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                .timeout(Duration.ofSeconds(30));
        byte[] bytes = body == null
                ? null
                : body instanceof String s
                        ? s.getBytes(StandardCharsets.UTF_8)
                        : MonitoringFiles.JSON.writeValueAsBytes(body);
        b.method(
                method,
                bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** What in this answer the document does not allow. */
    static List<String> check(String method, String template, HttpResponse<byte[]> r) {
        List<String> problems = new ArrayList<>();
        String opPointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode op = doc.at(opPointer);
        if (op.isMissingNode()) {
            return List.of("the document has no " + method + " " + template);
        }
        SEEN.computeIfAbsent(op.path("operationId").asText(), k -> new TreeSet<>())
                .add(r.statusCode());
        String pointer = opPointer + "/responses/" + r.statusCode();
        JsonNode response = doc.at(pointer);
        if (response.isMissingNode()) {
            return List.of("status " + r.statusCode() + " is not documented: " + text(r));
        }
        if (response.has("$ref")) {
            pointer = response.path("$ref").asText().substring(1);
            response = doc.at(pointer);
        }
        if (r.headers().firstValue("X-Request-Id").isEmpty()) {
            problems.add("no X-Request-Id");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = response.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            if (header.getValue().path("required").asBoolean()
                    && r.headers().firstValue(header.getKey()).isEmpty()) {
                problems.add("no " + header.getKey() + " header");
            }
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (r.body().length > 0) {
                problems.add("a body where the document has none: " + text(r));
            }
            return problems;
        }
        String type = r.headers()
                .firstValue("Content-Type")
                .orElse("")
                .split(";")[0]
                .trim()
                .toLowerCase(Locale.ROOT);
        if (!content.has(type)) {
            problems.add("content type '" + type + "' is not documented ("
                    + content.properties().stream().map(Map.Entry::getKey).toList() + ")");
            return problems;
        }
        if (r.body().length == 0) {
            problems.add("an empty body");
        }
        if (type.equals("application/json")) {
            String schemaPointer = pointer + "/content/" + escape(type) + "/schema";
            Schema schema = SCHEMA_CACHE.computeIfAbsent(
                    schemaPointer, p -> schemas.getSchema(SchemaLocation.of("classpath:openapi.yaml#" + p)));
            List<Error> errors = schema.validate(new String(r.body(), StandardCharsets.UTF_8), InputFormat.JSON);
            for (Error e : errors) {
                problems.add("body " + e.getInstanceLocation() + ": " + e.getMessage());
            }
            if (!errors.isEmpty()) {
                problems.add("the body: " + text(r));
            }
        }
        return problems;
    }

    static Map<String, JsonNode> operations() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                    if (Set.of("get", "put", "post", "delete", "patch", "head", "options")
                            .contains(op.getKey())) {
                        out.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
                    }
                }));
        return out;
    }

    /** A JSON pointer token (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String text(HttpResponse<byte[]> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.contains("json") && !type.startsWith("text/plain")) {
            return "(" + r.body().length + " bytes of " + type + ")";
        }
        String s = new String(r.body(), StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
