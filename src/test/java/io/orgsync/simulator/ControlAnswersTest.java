package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The control routes' answers word for word: every refusal's status and text, and the shapes and
 * defaults of what they answer, so that tests, benchmarks and scripts written against them keep
 * working whatever the routes' code looks like.
 */
class ControlAnswersTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    static final String CORP = "wwans";
    static final String P = "/__sim/corps/" + CORP;

    @BeforeEach
    void corp() {
        s.corp(CORP, 5, 20, 3, true);
    }

    private static void refused(SimHttp.Resp r, int status, String error) {
        assertEquals(status, r.status(), r::text);
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        assertEquals(error, r.json().get("error").asText(), r::text);
    }

    @Test
    void badBodiesAreRefusedWithWhatToFix() {
        for (String body : List.of("not json", "[]", "null", "", "\"text\"", "42")) {
            refused(s.post("/__sim/corps", body), 400, "the body must be a JSON object");
        }
        refused(s.put("/__sim/limits", "perMinute=3"), 400, "the body must be a JSON object");
        refused(s.post("/__sim/faults", "nope"), 400, "the body must be a JSON object");
        refused(s.post("/__sim/clock", ""), 400, "the body must be a JSON object");
        refused(s.patch(P, "[1]"), 400, "the body must be a JSON object");
    }

    @Test
    void valuesOfTheWrongKindAreRefusedNamingTheField() {
        refused(
                s.post("/__sim/corps", map("corpId", "wwnew", "secret", "x", "members", "5")),
                400,
                "members must be a whole number");
        refused(
                s.post("/__sim/corps", map("corpId", "wwnew", "secret", "x", "departments", 2.5)),
                400,
                "departments must be a whole number");
        refused(
                s.post("/__sim/corps", map("corpId", "wwnew", "secret", "x", "members", 3_000_000_000L)),
                400,
                "members must be a whole number");
        refused(
                s.post("/__sim/corps", map("corpId", "wwnew", "secret", "x", "mobileVisible", "no")),
                400,
                "mobileVisible must be true or false");
        refused(s.post("/__sim/corps", map("corpId", map("a", 1), "secret", "x")), 400, "corpId must be text");
        refused(
                s.post(P + "/members", map("userid", "x", "department", 5)),
                400,
                "department must be a list of whole numbers");
        refused(
                s.post(P + "/members", map("userid", "x", "department", List.of("a"))),
                400,
                "department must be a list of whole numbers");
        refused(
                s.post(P + "/members", "{\"userid\":\"x\",\"department\":[null]}"),
                400,
                "department must be a list of whole numbers");
        refused(
                s.post("/__sim/apps", map("appId", "wxkind", "secret", "s", "pages", "a/b")),
                400,
                "pages must be a list of texts");
        refused(s.put("/__sim/limits", map("perMinute", "3")), 400, "perMinute must be a whole number");
        refused(s.post("/__sim/faults", map("errcode", 1, "rate", "half")), 400, "rate must be a number");
        refused(s.post("/__sim/clock", map("advanceSeconds", 1.5)), 400, "advanceSeconds must be a whole number");
    }

    @Test
    void aFieldGivenAsNullCountsAsLeftOut() {
        String userid = s.export(CORP).get("members").get(0).get("userid").asText();
        JsonNode before = s.export(CORP).get("members").get(0);
        JsonNode after = s.patch(P + "/members/" + userid, "{\"name\":null,\"department\":null,\"status\":null}")
                .json();
        assertEquals(before.get("name"), after.get("name"));
        assertEquals(before.get("department"), after.get("department"));
        assertEquals(
                10000,
                s.put("/__sim/limits", "{\"perMinute\":null}")
                        .json()
                        .get("perMinute")
                        .asInt());
        refused(
                s.put("/__sim/limits", "{\"noSuchLimit\":null}"),
                400,
                "unknown limit 'noSuchLimit'; known: "
                        + s.get("/__sim/limits").json().properties().stream()
                                .map(java.util.Map.Entry::getKey)
                                .toList()
                                .toString()
                                .replace("\"", ""));
        assertEquals(
                201,
                s.post("/__sim/corps", "{\"corpId\":\"wwnull\",\"secret\":\"x\",\"members\":null}")
                        .status());
        assertEquals(100, s.export("wwnull").get("members").size());
    }

    @Test
    void corpRefusals() {
        refused(s.post("/__sim/corps", map()), 400, "corpId is required");
        refused(s.post("/__sim/corps", map("corpId", " ", "secret", "x")), 400, "corpId is required");
        refused(s.post("/__sim/corps", map("corpId", "wwnew")), 400, "secret is required");
        refused(
                s.post("/__sim/corps", map("corpId", "bad id!", "secret", "x")),
                400,
                "corpId may have up to 64 letters, digits or _ . @ -");
        refused(
                s.post("/__sim/corps", map("corpId", "x".repeat(65), "secret", "x")),
                400,
                "corpId may have up to 64 letters, digits or _ . @ -");
        refused(
                s.post("/__sim/corps", map("corpId", "wwnew", "secret", "x", "members", -5)),
                400,
                "members must be a whole number of 0 or more");
        refused(
                s.post("/__sim/corps", map("corpId", "wwnew", "secret", "x", "departments", -1)),
                400,
                "departments must be a whole number of 0 or more");
        refused(
                s.post("/__sim/corps", map("corpId", "wwnew", "secret", "x", "memberLimit", -1)),
                400,
                "memberLimit must be a whole number of 0 or more");
        refused(
                s.post("/__sim/corps", map("corpId", "wwnew", "secret", "x", "contactSecret", "")),
                400,
                "contactSecret is required");
        refused(s.post("/__sim/corps", map("corpId", "wwnew", "secret", "x", "name", " ")), 400, "name is required");
        refused(
                s.post("/__sim/corps", map("corpId", CORP, "secret", "x")),
                409,
                "enterprise " + CORP + " already exists");
        refused(s.get("/__sim/corps/nosuch/export"), 404, "no enterprise nosuch; create it with POST /__sim/corps");
        refused(s.delete("/__sim/corps/nosuch"), 404, "no enterprise nosuch; create it with POST /__sim/corps");
        refused(
                s.patch("/__sim/corps/nosuch", map("secret", "x")),
                404,
                "no enterprise nosuch; create it with POST /__sim/corps");
        refused(s.patch(P, map("name", "x")), 400, "unknown field 'name': only the secret can be changed");
        refused(s.patch(P, map()), 400, "secret is required");
        refused(s.patch(P, map("secret", "")), 400, "secret is required");
    }

    @Test
    void corpAnswers() {
        JsonNode made = s.post("/__sim/corps", map("corpId", "wwdefaults", "secret", "x", "unknownFieldsAreIgnored", 1))
                .json();
        assertEquals(
                "{\"corpId\":\"wwdefaults\",\"departments\":10,\"members\":100,\"mobileVisible\":true,\"memberLimit\":100,"
                        + "\"hasContactSecret\":false,\"newIp\":false,\"appRange\":{\"departments\":[],\"users\":[]}}",
                made.toString());
        JsonNode few = s.post(
                        "/__sim/corps",
                        map(
                                "corpId",
                                "wwfew",
                                "secret",
                                "x",
                                "departments",
                                2,
                                "members",
                                3,
                                "mobileVisible",
                                false,
                                "seed",
                                7))
                .json();
        assertEquals(
                "{\"corpId\":\"wwfew\",\"departments\":2,\"members\":3,\"mobileVisible\":false,\"memberLimit\":10,"
                        + "\"hasContactSecret\":false,\"newIp\":false,\"appRange\":{\"departments\":[],\"users\":[]}}",
                few.toString());
        assertEquals(
                "[\"wwans\",\"wwdefaults\",\"wwfew\"]",
                sorted(s.get("/__sim/corps").json()));
        assertEquals(
                "{\"corpId\":\"wwans\"}", s.patch(P, map("secret", "s2")).json().toString());
        assertEquals(
                "{\"deleted\":\"wwfew\"}", s.delete("/__sim/corps/wwfew").json().toString());
        JsonNode export = s.export(CORP);
        assertEquals(
                List.of("corpId", "mobileVisible", "hasContactSecret", "newIp", "appRange", "departments", "members"),
                fields(export));
        assertEquals(
                List.of("id", "name", "name_en", "parentid", "order", "department_leader", "appSees"),
                fields(export.get("departments").get(0)));
        assertEquals(
                List.of(
                        "userid",
                        "name",
                        "mobile",
                        "department",
                        "order",
                        "is_leader_in_dept",
                        "direct_leader",
                        "main_department",
                        "status",
                        "position",
                        "email",
                        "gender",
                        "telephone",
                        "alias",
                        "outsideAppRange",
                        "appSees"),
                fields(export.get("members").get(0)));
    }

    @Test
    void memberRefusals() {
        refused(
                s.post("/__sim/corps/nosuch/members", map("userid", "x")),
                404,
                "no enterprise nosuch; create it with POST /__sim/corps");
        refused(s.post(P + "/members", map()), 400, "userid is required");
        refused(
                s.post(P + "/members", map("userid", "a b")),
                400,
                "userid may have up to 64 letters, digits or _ . @ -");
        refused(
                s.post(P + "/members", map("userid", "x", "colour", "red")),
                400,
                "unknown member field 'colour'; known: "
                        + "[userid, name, mobile, department, order, is_leader_in_dept, direct_leader, position, gender, email, biz_mail, avatar, "
                        + "telephone, alias, status, main_department, address, outsideAppRange]");
        refused(
                s.post(P + "/members", map("userid", "x", "department", List.of(999))),
                400,
                "member x is in unknown department 999");
        refused(
                s.post(P + "/members", map("userid", "x", "department", List.of())),
                400,
                "a member needs at least one department");
        refused(
                s.post(P + "/members", map("userid", "x", "department", List.of(1, 2), "order", List.of(0))),
                400,
                "department, order and is_leader_in_dept must be parallel arrays");
        refused(s.post(P + "/members", map("userid", "x", "status", 3)), 400, "status must be 1, 2, 4 or 5");
        refused(
                s.post(P + "/members", map("userid", "x", "status", -1)),
                400,
                "status must be a whole number of 0 or more");
        refused(
                s.post(P + "/members", map("userid", "x", "main_department", -1)),
                400,
                "main_department must be a whole number of 0 or more");
        String existing = s.export(CORP).get("members").get(0).get("userid").asText();
        refused(
                s.post(P + "/members", map("userid", existing.toUpperCase())),
                409,
                "member " + existing.toUpperCase() + " already exists");
        refused(s.patch(P + "/members/nobody", map("name", "x")), 404, "no member nobody");
        refused(s.delete(P + "/members/nobody"), 404, "no member nobody");
    }

    @Test
    void memberAnswers() {
        JsonNode made = s.post(P + "/members", map("userid", "plain")).json();
        assertEquals(
                "{\"userid\":\"plain\",\"name\":\"plain\",\"mobile\":\"\",\"department\":[1],\"order\":[0],"
                        + "\"is_leader_in_dept\":[0],\"direct_leader\":[],\"main_department\":1,\"status\":1,\"position\":\"\",\"email\":\"\",\"gender\":\"1\","
                        + "\"telephone\":\"\",\"alias\":\"\",\"outsideAppRange\":false}",
                made.toString());
        JsonNode two = s.post(
                        P + "/members", map("userid", "two", "department", List.of(3, 2), "mobile", "13900000001"))
                .json();
        assertEquals("[3,2]", two.get("department").toString());
        assertEquals("[0,0]", two.get("order").toString());
        assertEquals(3, two.get("main_department").asInt(), "a new member's main department is its first");
        JsonNode moved = s.patch(P + "/members/TWO", map("department", List.of(4, 1), "order", List.of(5, 6)))
                .json();
        assertEquals("two", moved.get("userid").asText());
        assertEquals("[5,6]", moved.get("order").toString());
        assertEquals("[0,0]", moved.get("is_leader_in_dept").toString());
        assertEquals(4, moved.get("main_department").asInt(), "the old main department is gone: the first one");
        assertEquals("13900000001", moved.get("mobile").asText());
        JsonNode renamed = s.patch(P + "/members/two", map("name", "二", "outsideAppRange", true))
                .json();
        assertEquals("[5,6]", renamed.get("order").toString(), "orders stay when the departments do");
        assertEquals("二", renamed.get("name").asText());
        assertTrue(renamed.get("outsideAppRange").asBoolean());
        assertEquals(
                "{\"deleted\":\"two\"}", s.delete(P + "/members/two").json().toString());
    }

    @Test
    void departmentRefusals() {
        refused(s.post(P + "/departments", map()), 400, "name is required");
        refused(s.post(P + "/departments", map("id", 2, "name", "dup")), 409, "department 2 already exists");
        refused(s.post(P + "/departments", map("id", -2, "name", "x")), 400, "id must be a whole number of 0 or more");
        refused(
                s.post(P + "/departments", map("name", "x", "parentid", -2)),
                400,
                "parentid must be a whole number of 0 or more");
        refused(
                s.post(P + "/departments", map("name", "x", "order", -2)),
                400,
                "order must be a whole number of 0 or more");
        refused(
                s.post(P + "/departments", map("name", "orphan", "parentid", 999)),
                400,
                "department 6 has unknown parent 999");
        refused(s.patch(P + "/departments/abc", map("name", "x")), 400, "department id must be a number");
        refused(s.delete(P + "/departments/abc"), 400, "department id must be a number");
        refused(s.patch(P + "/departments/999", map("name", "x")), 404, "no department 999");
        refused(s.patch(P + "/departments/2", map("name", "")), 400, "name is required");
        refused(s.patch(P + "/departments/1", map("parentid", 2)), 400, "the root department cannot move");
        refused(s.patch(P + "/departments/2", map("parentid", 2)), 400, "a department cannot move below itself");
        refused(s.patch(P + "/departments/2", map("parentid", 999)), 400, "department 2 has unknown parent 999");
        refused(s.delete(P + "/departments/999"), 404, "no department 999");
        refused(s.delete(P + "/departments/1"), 400, "the root department cannot be deleted");
        int parent = s.export(CORP).get("departments").get(1).get("parentid").asInt();
        refused(
                s.delete(P + "/departments/" + parent),
                parent == 1 ? 400 : 409,
                parent == 1
                        ? "the root department cannot be deleted"
                        : "department " + parent + " has sub-departments; delete or move them first");
    }

    @Test
    void departmentAnswers() {
        assertEquals(
                "{\"id\":6,\"name\":\"新\",\"name_en\":\"\",\"parentid\":1,\"order\":0}",
                s.post(P + "/departments", map("name", "新", "unknownFieldsAreIgnored", true))
                        .json()
                        .toString());
        assertEquals(
                "{\"id\":50,\"name\":\"五十\",\"name_en\":\"Fifty\",\"parentid\":6,\"order\":3}",
                s.post(P + "/departments", map("id", 50, "name", "五十", "name_en", "Fifty", "parentid", 6, "order", 3))
                        .json()
                        .toString());
        assertEquals(
                "{\"id\":50,\"name\":\"改\",\"name_en\":\"Fifty\",\"parentid\":1,\"order\":3}",
                s.patch(P + "/departments/50", map("name", "改", "parentid", 1))
                        .json()
                        .toString());
        assertEquals("{\"deleted\":50}", s.delete(P + "/departments/50").json().toString());
    }

    @Test
    void appAndTokenRefusalsAndAnswers() {
        refused(s.post("/__sim/apps", map()), 400, "appId is required");
        refused(s.post("/__sim/apps", map("appId", "wxa")), 400, "secret is required");
        refused(
                s.post("/__sim/apps", map("appId", "wx a", "secret", "s")),
                400,
                "appId may have up to 64 letters, digits or _ . @ -");
        JsonNode app =
                s.post("/__sim/apps", map("appId", "wxans", "secret", "s")).json();
        assertEquals("wxans", app.get("appId").asText());
        assertEquals("[\"pages/index/index\"]", app.get("pages").toString());
        assertEquals(
                "[\"a/b\",\"c/d\"]",
                s.post("/__sim/apps", map("appId", "wxpages", "secret", "s", "pages", List.of("a/b", "c/d")))
                        .json()
                        .get("pages")
                        .toString());
        refused(s.post("/__sim/apps", map("appId", "wxans", "secret", "s")), 409, "app wxans already exists");

        refused(s.post("/__sim/tokens/invalidate", map()), 400, "give corpId or appId");
        refused(s.post("/__sim/tokens/invalidate", map("corpId", "nosuch")), 404, "no enterprise or app nosuch");
        refused(s.post("/__sim/tokens/invalidate", map("appId", "wxnosuch")), 404, "no enterprise or app wxnosuch");
        s.token(CORP);
        assertEquals(
                "{\"invalidated\":1}",
                s.post("/__sim/tokens/invalidate", map("corpId", CORP)).json().toString());
        assertEquals(
                "{\"invalidated\":0}",
                s.post("/__sim/tokens/invalidate", map("appId", "wxans")).json().toString());
    }

    @Test
    void limitRefusalsAndAnswers() {
        String known =
                "[deptCallsPerSecond, perMinute, perHour, ipPerMinute, ipPerHour, maxConcurrent, getuseridFailureRatio, "
                        + "wxacodePerMinute, classicTokensPerDay, stableTokensPerMinute, badSecretPerHour, invalidTokenPerHour, "
                        + "tokenTtlSeconds, wecomSameTokenWithinValidity, stableHandsBackInvalidated, listIdPageRows]";
        refused(
                s.put("/__sim/limits", map("perMinute", 3, "noSuchLimit", 1)),
                400,
                "unknown limit 'noSuchLimit'; known: " + known);
        refused(
                s.put("/__sim/limits", map("perMinute", -1)),
                400,
                "perMinute must be a whole number of 0 or more (0 switches it off)");
        refused(
                s.put("/__sim/limits", map("getuseridFailureRatio", 2)),
                400,
                "getuseridFailureRatio must be a number from 0 to 1");
        refused(s.put("/__sim/limits", map("tokenTtlSeconds", 0)), 400, "tokenTtlSeconds must be at least 1");
        refused(
                s.put("/__sim/limits", map("wecomSameTokenWithinValidity", "yes")),
                400,
                "wecomSameTokenWithinValidity must be true or false");
        refused(
                s.put("/__sim/limits", map("stableHandsBackInvalidated", 1)),
                400,
                "stableHandsBackInvalidated must be true or false");
        JsonNode defaults = s.get("/__sim/limits").json();
        assertEquals(
                "{\"deptCallsPerSecond\":0,\"perMinute\":10000,\"perHour\":150000,\"ipPerMinute\":20000,\"ipPerHour\":600000,"
                        + "\"maxConcurrent\":200,\"getuseridFailureRatio\":0.2,\"wxacodePerMinute\":5000,\"classicTokensPerDay\":2000,"
                        + "\"stableTokensPerMinute\":10000,\"badSecretPerHour\":100,\"invalidTokenPerHour\":1000,\"tokenTtlSeconds\":7200,"
                        + "\"wecomSameTokenWithinValidity\":false,\"stableHandsBackInvalidated\":false,\"listIdPageRows\":0}",
                defaults.toString(),
                "nothing applied");
        JsonNode changed = s.put(
                        "/__sim/limits",
                        map("perMinute", 7, "getuseridFailureRatio", 0.5, "stableHandsBackInvalidated", true))
                .json();
        assertEquals(7, changed.get("perMinute").asInt());
        assertEquals(0.5, changed.get("getuseridFailureRatio").asDouble());
        assertTrue(changed.get("stableHandsBackInvalidated").asBoolean());
        assertEquals(150000, changed.get("perHour").asInt(), "the others stay");
        assertEquals(defaults, s.delete("/__sim/limits").json());
    }

    @Test
    void faultRefusalsAndAnswers() {
        refused(s.post("/__sim/faults", map("path", "/x", "bogus", 1)), 400, "unknown fault field 'bogus'");
        refused(
                s.post("/__sim/faults", map("path", "cgi-bin/user/list", "errcode", 1)),
                400,
                "path must start with /, for example /cgi-bin/user/list");
        refused(
                s.post("/__sim/faults", map("path", "/cgi-bin/user/list")),
                400,
                "a fault needs errcode, httpStatus, latencyMs or dropConnection");
        refused(s.post("/__sim/faults", map("httpStatus", 99)), 400, "httpStatus must be from 100 to 599");
        refused(s.post("/__sim/faults", map("errcode", 1, "rate", 1.5)), 400, "rate must be above 0 and at most 1");
        refused(s.post("/__sim/faults", map("errcode", 1, "rate", 0)), 400, "rate must be above 0 and at most 1");
        refused(s.post("/__sim/faults", map("errcode", 1.5)), 400, "errcode must be a whole number");
        refused(s.post("/__sim/faults", map("errcode", "1")), 400, "errcode must be a whole number");
        assertEquals(
                "{\"id\":1,\"path\":\"/cgi-bin/user/list\",\"corpId\":\"wx1\",\"errcode\":-1,\"httpStatus\":null,"
                        + "\"latencyMs\":0,\"dropConnection\":false,\"rate\":0.5,\"count\":3,\"applied\":0}",
                s.post(
                                "/__sim/faults",
                                map(
                                        "path",
                                        "/cgi-bin/user/list",
                                        "appId",
                                        "wx1",
                                        "errcode",
                                        -1,
                                        "rate",
                                        0.5,
                                        "count",
                                        3))
                        .json()
                        .toString());
        JsonNode second = s.post("/__sim/faults", map("corpId", "", "latencyMs", -5, "dropConnection", true))
                .json();
        assertEquals(
                "{\"id\":2,\"path\":null,\"corpId\":null,\"errcode\":null,\"httpStatus\":null,\"latencyMs\":0,"
                        + "\"dropConnection\":true,\"rate\":1.0,\"count\":null,\"applied\":0}",
                second.toString());
        assertEquals(2, s.get("/__sim/faults").json().size());
        assertEquals("{\"faults\":0}", s.delete("/__sim/faults").json().toString());
        assertEquals("[]", s.get("/__sim/faults").json().toString());
    }

    @Test
    void clockStatsWebhookAndReset() {
        refused(s.post("/__sim/clock", map()), 400, "advanceSeconds must be a number");
        refused(
                s.post("/__sim/clock", map("advanceSeconds", -1)),
                400,
                "advanceSeconds must be a whole number of 0 or more");
        JsonNode clock = s.get("/__sim/clock").json();
        assertEquals(java.util.Set.of("now", "offsetSeconds"), java.util.Set.copyOf(fields(clock)));
        assertEquals(
                clock.get("offsetSeconds").asLong() + 60,
                s.post("/__sim/clock", map("advanceSeconds", 60, "unknownFieldsAreIgnored", 1))
                        .json()
                        .get("offsetSeconds")
                        .asLong());
        assertEquals(
                List.of(
                        "totalCalls",
                        "calls",
                        "peakCallsPerSecond",
                        "peakDeptCallsPerSecond",
                        "peakDeptCallsPerSlidingSecond",
                        "peakConcurrency",
                        "peakConcurrencyByCorp",
                        "peakDeptConcurrency",
                        "tokensIssued",
                        "tokenFetches",
                        "forcedRefreshes",
                        "errors"),
                fields(s.get("/__sim/stats").json()));
        s.token(CORP);
        assertEquals(1, s.get("/__sim/stats").json().get("totalCalls").asInt());
        SimHttp.Resp reset = s.post("/__sim/stats/reset", "");
        assertEquals(200, reset.status(), reset::text);
        assertEquals(0, reset.json().get("totalCalls").asInt());
        assertEquals("[]", s.get("/__sim/webhook/nokey/messages").json().toString());
        SimHttp.Resp all = s.post("/__sim/reset", "");
        assertEquals(200, all.status(), all::text);
        assertEquals("{\"reset\":true}", all.json().toString());
        assertEquals("[]", s.get("/__sim/corps").json().toString());
    }

    private static List<String> fields(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String sorted(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add("\"" + n.asText() + "\""));
        java.util.Collections.sort(out);
        return "[" + String.join(",", out) + "]";
    }
}
