package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orgsync.NodeInternals;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.Scrape;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of malformed requests over real HTTP: each is refused with a 4xx and the right
 * {@code error.code}, carries no internals or secrets, and reaches neither WeCom nor the
 * mini-program API (the simulator counts zero calls after every case, cumulatively), nor, for the
 * read routes, the database (the read cache counts no answer built from it).
 */
class MalformedInputTest {
    private static final String CORP = "ww-malformed";
    private static final String CORP_SECRET = "malformed-corp-secret-0123456789";
    private static final String APP = "wx-malformed";
    private static final String APP_SECRET = "malformed-app-secret-0123456789";
    private static final String LOOKUP = "/api/v1/members/by-mobile/";
    private static final String CODE = "/api/v1/miniapps/" + APP + "/wxacode?";
    private static final String RESOLVE = "/api/v1/members/resolve";
    private static final String CALLBACK =
            "/callbacks/wecom/" + CORP + "?msg_signature=" + "0".repeat(40) + "&timestamp=";
    private static final String CALLBACK_TOKEN = "MalformedToken01";
    private static final String CALLBACK_KEY = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456";
    private static SimulatorControl sim;
    private static ApiNode node;

    /** One malformed request. {@code raw}: sent byte for byte on a socket, because java.net.http refuses the target. */
    record Case(String name, String method, String target, byte[] body, boolean raw, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorControl();
        sim.createCorp(CORP, CORP_SECRET, 3, 20, true);
        sim.createApp(APP, APP_SECRET);
        node = ApiNode.start("malformed", TestDatabases.h2("malformed"), sim, Map.of());
        node.enterprise(CORP, CORP_SECRET);
        node.app(APP, APP_SECRET, "stable");
        NodeInternals.callbacks(node.node).put(CORP, CALLBACK_TOKEN, CALLBACK_KEY);
        sim.resetStats();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        sim.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refusedWithTheRightCodeAndNoUpstreamCall(Case c) throws Exception {
        long before = sim.stats().path("totalCalls").asLong();
        double built = Scrape.value(node, "orgsync_lookup_cache_misses_total");
        ApiNode.Response r;
        if (c.raw) {
            r = node.raw(c.method, c.target, c.body);
        } else if (c.method.equals("GET")) {
            r = node.get(c.target);
        } else {
            r = node.post(c.target, c.body);
        }
        assertError(r, c.status, c.code, CORP_SECRET, APP_SECRET, CALLBACK_TOKEN, CALLBACK_KEY);
        assertEquals(before, sim.stats().path("totalCalls").asLong(), "no upstream call");
        assertEquals(
                built,
                Scrape.value(node, "orgsync_lookup_cache_misses_total"),
                "no read answer built from the database");
    }

    @AfterAll
    static void noCaseReachedTheUpstream() throws Exception {
        // every case above checked its own calls; this checks the corpus as a whole, set-up excluded
        assertEquals(
                0,
                sim.stats().path("totalCalls").asLong(),
                () -> "upstream calls: " + sim.stats().path("calls"));
        assertEquals(0, node.node.events().recent(null, 10).size(), "no callback case stored an event");
    }

    static List<Case> corpus() {
        List<Case> all = new ArrayList<>();
        // mobiles, in the lookup path
        mobile(all, "letters", "abcdefghijk");
        mobile(all, "letters among digits", "1380000000O");
        mobile(all, "10 digits", "1380000000");
        mobile(all, "12 digits", "138000000000");
        mobile(all, "mainland prefix 12", "12800000000");
        mobile(all, "+86 with 10 digits", "+861380000000");
        mobile(all, "+86 with 12 digits", "+86138000000000");
        mobile(all, "0086 with 10 digits", "00861380000000");
        mobile(all, "+0 country", "+0123456789");
        mobile(all, "+ alone", "+");
        mobile(all, "double plus", "++8613800000000");
        mobile(all, "international 5 digits", "+12345");
        mobile(all, "international 16 digits", "+1234567890123456");
        mobile(all, "spaces only", "   ");
        mobile(all, "dots", "138.0000.0000");
        mobile(all, "parentheses", "(138)00000000");
        mobile(all, "41 characters", "1".repeat(41));
        mobile(all, "fullwidth digits", "１３８００００００００");
        mobile(all, "arabic-indic digits", "١٣٨٠٠٠٠٠٠٠٠");
        mobile(all, "no-break space", "138\u00a00000\u00a00000");
        mobile(all, "SQL quote", "13800000000' OR '1'='1");
        mobile(all, "SQL comment", "13800000000;--");
        mobile(all, "SQL union", "1 UNION SELECT 1");
        mobile(all, "SQL wildcard", "138%");
        all.add(new Case("mobile: NUL byte", "GET", LOOKUP + "13800000000%00", null, false, 400, "invalid_request"));
        // not even a valid URL: Jetty refuses these before routing, so they are invalid requests
        all.add(new Case("mobile: bad percent escape", "GET", LOOKUP + "%ZZ", null, true, 400, "invalid_request"));
        all.add(new Case("mobile: lone percent", "GET", LOOKUP + "138%", null, true, 400, "invalid_request"));
        all.add(new Case(
                "mobile: invalid UTF-8 escapes", "GET", LOOKUP + "%FF%FE", null, false, 400, "invalid_request"));
        all.add(new Case(
                "mobile: overlong UTF-8 escape", "GET", LOOKUP + "%C0%AE%C0%AE", null, false, 400, "invalid_request"));
        all.add(new Case("mobile: raw non-ASCII bytes", "GET", LOOKUP + "138ÿþ", null, true, 400, "invalid_request"));
        all.add(new Case("mobile: 20 KB URL", "GET", LOOKUP + "1".repeat(20_000), null, false, 414, "invalid_request"));
        all.add(new Case("mobile: empty", "GET", LOOKUP, null, false, 400, "invalid_mobile"));
        all.add(new Case(
                "lookup: corpId with spaces",
                "GET",
                LOOKUP + "13800000000?corpId=a%20b",
                null,
                false,
                400,
                "invalid_request"));
        all.add(new Case(
                "lookup: corpId empty", "GET", LOOKUP + "13800000000?corpId=", null, false, 400, "invalid_request"));
        all.add(new Case(
                "lookup: corpId 65 characters",
                "GET",
                LOOKUP + "13800000000?corpId=" + "w".repeat(65),
                null,
                false,
                400,
                "invalid_request"));
        all.add(new Case(
                "lookup: corpId SQL",
                "GET",
                LOOKUP + "13800000000?corpId=" + enc("ww' OR 1=1 --"),
                null,
                false,
                400,
                "invalid_request"));

        // mini-program code parameters
        code(all, "scene missing", "page=pages/index/index");
        code(all, "scene empty", "scene=");
        code(all, "scene 33 characters", "scene=" + "a".repeat(33));
        code(all, "scene with a space", "scene=" + enc("a b"));
        code(all, "scene with <>", "scene=" + enc("<script>"));
        code(all, "scene with %", "scene=" + enc("100%"));
        code(all, "scene with a quote", "scene=" + enc("a\"b"));
        code(all, "scene with a backslash", "scene=" + enc("a\\b"));
        code(all, "scene with Chinese", "scene=" + enc("场景"));
        code(all, "scene with a NUL", "scene=" + enc("a\u0000b"));
        code(all, "scene given twice", "scene=a&scene=b");
        code(all, "page with a leading /", "scene=a&page=" + enc("/pages/index/index"));
        code(all, "page with a query string", "scene=a&page=" + enc("pages/index/index?x=1"));
        code(all, "page 200 characters", "scene=a&page=pages/" + "p".repeat(194));
        code(all, "page empty", "scene=a&page=");
        code(all, "page with a space", "scene=a&page=" + enc("pages/in dex"));
        code(all, "page ending with /", "scene=a&page=pages/index/");
        code(all, "width 279", "scene=a&width=279");
        code(all, "width 1281", "scene=a&width=1281");
        code(all, "width abc", "scene=a&width=abc");
        code(all, "width 430.5", "scene=a&width=430.5");
        code(all, "width empty", "scene=a&width=");
        code(all, "width overflowing int", "scene=a&width=99999999999");
        code(all, "envVersion prod", "scene=a&envVersion=prod");
        code(all, "envVersion upper case", "scene=a&envVersion=RELEASE");
        code(all, "envVersion empty", "scene=a&envVersion=");
        code(all, "checkPath yes", "scene=a&checkPath=yes");
        code(all, "checkPath 1", "scene=a&checkPath=1");
        code(all, "isHyaline TRUE", "scene=a&isHyaline=TRUE");
        code(all, "isHyaline empty", "scene=a&isHyaline=");
        all.add(new Case(
                "wxacode: appId with a space",
                "GET",
                "/api/v1/miniapps/wx%20x/wxacode?scene=a",
                null,
                false,
                400,
                "invalid_request"));
        all.add(new Case(
                "wxacode: appId 65 characters",
                "GET",
                "/api/v1/miniapps/" + "w".repeat(65) + "/wxacode?scene=a",
                null,
                false,
                400,
                "invalid_request"));
        all.add(new Case(
                "wxacode: unknown app",
                "GET",
                "/api/v1/miniapps/wx-nobody/wxacode?scene=a",
                null,
                false,
                404,
                "unknown_app"));

        // the read API over the stored copy
        String corp = "/api/v1/corps/" + CORP;
        read(all, "corpId with a space", "/api/v1/corps/ww%20x/members/someone", 400, "invalid_request");
        read(all, "corpId 65 characters", "/api/v1/corps/" + "w".repeat(65) + "/departments", 400, "invalid_request");
        read(
                all,
                "corpId SQL",
                "/api/v1/corps/" + enc("ww' OR 1=1 --").replace("+", "%20") + "/members?q=a",
                400,
                "invalid_request");
        read(all, "corpId Chinese", "/api/v1/corps/" + enc("企业") + "/departments", 400, "invalid_request");
        read(all, "unknown corp: member", "/api/v1/corps/ww-nobody/members/someone", 404, "unknown_corp");
        read(all, "unknown corp: search", "/api/v1/corps/ww-nobody/members?q=a", 404, "unknown_corp");
        read(all, "unknown corp: tree", "/api/v1/corps/ww-nobody/departments", 404, "unknown_corp");
        read(all, "unknown corp: department", "/api/v1/corps/ww-nobody/departments/1/members", 404, "unknown_corp");
        read(all, "userid 65 characters", corp + "/members/" + "u".repeat(65), 400, "invalid_request");
        read(all, "userid with a space", corp + "/members/a%20b", 400, "invalid_request");
        read(all, "userid SQL", corp + "/members/" + enc("x' OR '1'='1"), 400, "invalid_request");
        read(all, "userid NUL", corp + "/members/a%00b", 400, "invalid_request");
        read(all, "includeDeparted yes", corp + "/members/someone?includeDeparted=yes", 400, "invalid_request");
        read(all, "includeDeparted empty", corp + "/departments?includeDeparted=", 400, "invalid_request");
        read(all, "limit 0", corp + "/members?limit=0", 400, "invalid_request");
        read(all, "limit 1001", corp + "/members?limit=1001", 400, "invalid_request");
        read(all, "limit negative", corp + "/members?limit=-5", 400, "invalid_request");
        read(all, "limit huge", corp + "/members?limit=99999999999999999999", 400, "invalid_request");
        read(all, "limit decimal", corp + "/members?limit=10.5", 400, "invalid_request");
        read(all, "limit words", corp + "/departments/1/members?limit=ten", 400, "invalid_request");
        read(all, "q 65 characters", corp + "/members?q=" + "a".repeat(65), 400, "invalid_request");
        read(all, "q control character", corp + "/members?q=a%07", 400, "invalid_request");
        read(all, "cursor empty", corp + "/members?cursor=", 400, "invalid_request");
        read(all, "cursor junk", corp + "/members?cursor=not-a-cursor", 400, "invalid_request");
        read(
                all,
                "cursor forged",
                corp + "/members?cursor="
                        + java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString("zzz".getBytes(StandardCharsets.UTF_8))
                        + ".AAAAAAAAAAAAAAAAAAAAAA",
                400,
                "invalid_request");
        read(all, "cursor bad base64", corp + "/departments/1/members?cursor=%25%25.%25%25", 400, "invalid_request");
        read(all, "cursor 300 characters", corp + "/members?cursor=" + "A".repeat(300), 400, "invalid_request");
        read(all, "department 0", corp + "/departments/0/members", 400, "invalid_request");
        read(all, "department negative", corp + "/departments/-1/members", 400, "invalid_request");
        read(all, "department above 32 bits", corp + "/departments/4294967296/members", 400, "invalid_request");
        read(all, "department letters", corp + "/departments/root/members", 400, "invalid_request");
        read(all, "department leading zero", corp + "/departments/01/members", 400, "invalid_request");
        read(all, "recursive maybe", corp + "/departments/1/members?recursive=maybe", 400, "invalid_request");
        all.add(new Case(
                "read: POST on the tree", "POST", corp + "/departments", new byte[0], false, 405, "invalid_request"));

        // wrong methods on known routes
        all.add(new Case("resolve: GET instead of POST", "GET", RESOLVE, null, false, 405, "invalid_request"));
        all.add(new Case(
                "lookup: POST instead of GET",
                "POST",
                LOOKUP + "13800000000",
                new byte[0],
                false,
                405,
                "invalid_request"));
        all.add(new Case(
                "wxacode: POST instead of GET", "POST", CODE + "scene=a", new byte[0], false, 405, "invalid_request"));

        // resolve bodies
        resolve(all, "not JSON", "hello", "invalid_request");
        resolve(all, "empty body", "", "invalid_request");
        resolve(all, "JSON null", "null", "invalid_request");
        resolve(all, "JSON string", "\"13800000000\"", "invalid_request");
        resolve(all, "JSON array", "[\"" + CORP + "\", \"13800000000\"]", "invalid_request");
        resolve(all, "empty object", "{}", "invalid_request");
        resolve(all, "corpId missing", "{\"mobile\": \"13800000000\"}", "invalid_request");
        resolve(all, "mobile missing", "{\"corpId\": \"" + CORP + "\"}", "invalid_request");
        resolve(all, "mobile a number", "{\"corpId\": \"" + CORP + "\", \"mobile\": 13800000000}", "invalid_request");
        resolve(all, "corpId a number", "{\"corpId\": 12345, \"mobile\": \"13800000000\"}", "invalid_request");
        resolve(all, "corpId null", "{\"corpId\": null, \"mobile\": \"13800000000\"}", "invalid_request");
        resolve(
                all,
                "mobile an object",
                "{\"corpId\": \"" + CORP + "\", \"mobile\": {\"n\": \"13800000000\"}}",
                "invalid_request");
        resolve(
                all,
                "mobile an array",
                "{\"corpId\": \"" + CORP + "\", \"mobile\": [\"13800000000\"]}",
                "invalid_request");
        resolve(all, "truncated JSON", "{\"corpId\": \"" + CORP + "\", \"mobile\": \"1380000", "invalid_request");
        resolve(
                all,
                "trailing garbage",
                "{\"corpId\": \"" + CORP + "\", \"mobile\": \"13800000000\"} trailing",
                "invalid_request");
        resolve(
                all,
                "two objects",
                "{\"corpId\": \"" + CORP + "\", \"mobile\": \"13800000000\"}{\"corpId\": \"x\"}",
                "invalid_request");
        resolve(
                all,
                "duplicate keys",
                "{\"corpId\": \"other\", \"corpId\": \"" + CORP + "\", \"mobile\": \"13800000000\"}",
                "invalid_request");
        resolve(all, "single quotes", "{'corpId': '" + CORP + "', 'mobile': '13800000000'}", "invalid_request");
        resolve(all, "corpId empty", "{\"corpId\": \"\", \"mobile\": \"13800000000\"}", "invalid_request");
        resolve(
                all,
                "corpId with spaces",
                "{\"corpId\": \"ww bad corp\", \"mobile\": \"13800000000\"}",
                "invalid_request");
        resolve(
                all,
                "corpId SQL",
                "{\"corpId\": \"ww'; DROP TABLE member; --\", \"mobile\": \"13800000000\"}",
                "invalid_request");
        resolve(
                all,
                "corpId 65 characters",
                "{\"corpId\": \"" + "w".repeat(65) + "\", \"mobile\": \"13800000000\"}",
                "invalid_request");
        resolve(all, "corpId Chinese", "{\"corpId\": \"企业\", \"mobile\": \"13800000000\"}", "invalid_request");
        resolve(all, "mobile letters", "{\"corpId\": \"" + CORP + "\", \"mobile\": \"abcdefghijk\"}", "invalid_mobile");
        resolve(all, "mobile empty", "{\"corpId\": \"" + CORP + "\", \"mobile\": \"\"}", "invalid_mobile");
        resolve(
                all,
                "mobile +86 with 10 digits",
                "{\"corpId\": \"" + CORP + "\", \"mobile\": \"+861380000000\"}",
                "invalid_mobile");
        resolve(
                all,
                "mobile fullwidth digits",
                "{\"corpId\": \"" + CORP + "\", \"mobile\": \"１３８００００００００\"}",
                "invalid_mobile");
        resolve(
                all,
                "mobile escaped NUL",
                "{\"corpId\": \"" + CORP + "\", \"mobile\": \"1380000\\u00000000\"}",
                "invalid_mobile");
        resolve(
                all,
                "mobile SQL",
                "{\"corpId\": \"" + CORP + "\", \"mobile\": \"13800000000' OR '1'='1\"}",
                "invalid_mobile");
        resolve(
                all,
                "mobile 5 KB",
                "{\"corpId\": \"" + CORP + "\", \"mobile\": \"" + "1".repeat(5000) + "\"}",
                "invalid_mobile");
        byte[] latin1 = ("{\"corpId\": \"ww-malform\u00e9d\", \"mobile\": \"13800000000\"}")
                .getBytes(StandardCharsets.ISO_8859_1);
        all.add(new Case("resolve: non-UTF-8 (Latin-1) bytes", "POST", RESOLVE, latin1, false, 400, "invalid_request"));
        byte[] broken = ("{\"corpId\": \"" + CORP + "\", \"mobile\": \"138\u0000\"}").getBytes(StandardCharsets.UTF_8);
        broken[broken.length - 3] = (byte) 0xFF;
        all.add(new Case("resolve: 0xFF byte in a string", "POST", RESOLVE, broken, false, 400, "invalid_request"));
        byte[] big = ("{\"corpId\": \"" + CORP + "\", \"mobile\": \"13800000000\", \"pad\": \"" + "x".repeat(1_100_000)
                        + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        all.add(new Case("resolve: body over 1 MB", "POST", RESOLVE, big, false, 413, "invalid_request"));
        // contact-change callbacks: refused before anything is stored
        long now = System.currentTimeMillis() / 1000;
        callback(
                all,
                "no signature",
                "/callbacks/wecom/" + CORP + "?timestamp=" + now + "&nonce=1",
                "<xml><Encrypt>AAAA</Encrypt></xml>");
        callback(
                all, "forged signature", CALLBACK + now + "&nonce=2", "<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>");
        callback(all, "not XML", CALLBACK + now + "&nonce=3", "{\"Encrypt\": \"AAAA\"}");
        callback(all, "no Encrypt", CALLBACK + now + "&nonce=4", "<xml><ToUserName>x</ToUserName></xml>");
        callback(
                all,
                "external entity",
                CALLBACK + now + "&nonce=5",
                "<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&e;</Encrypt></xml>");
        callback(
                all,
                "entity expansion",
                CALLBACK + now + "&nonce=6",
                "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><Encrypt>&b;</Encrypt></xml>");
        callback(
                all,
                "SQL in the nonce",
                CALLBACK + now + "&nonce=" + enc("1' OR '1'='1"),
                "<xml><Encrypt>AAAA</Encrypt></xml>");
        callback(all, "timestamp not a number", CALLBACK + "soon&nonce=7", "<xml><Encrypt>AAAA</Encrypt></xml>");
        callback(
                all,
                "100 KB body",
                CALLBACK + now + "&nonce=8",
                "<xml><Encrypt>" + "A".repeat(100_000) + "</Encrypt></xml>");
        all.add(new Case(
                "callback: unknown enterprise",
                "POST",
                "/callbacks/wecom/ww-nobody?msg_signature=x&timestamp=" + now + "&nonce=9",
                "<xml/>".getBytes(StandardCharsets.UTF_8),
                false,
                400,
                "invalid_request"));
        return all;
    }

    private static void callback(List<Case> all, String name, String target, String body) {
        all.add(new Case(
                "callback: " + name,
                "POST",
                target,
                body.getBytes(StandardCharsets.UTF_8),
                false,
                400,
                "invalid_request"));
    }

    private static void mobile(List<Case> all, String name, String mobile) {
        all.add(new Case(
                "mobile: " + name,
                "GET",
                LOOKUP + enc(mobile).replace("+", "%20"),
                null,
                false,
                400,
                "invalid_mobile"));
    }

    private static void code(List<Case> all, String name, String query) {
        all.add(new Case("wxacode: " + name, "GET", CODE + query, null, false, 400, "invalid_request"));
    }

    private static void read(List<Case> all, String name, String target, int status, String code) {
        all.add(new Case("read: " + name, "GET", target, null, false, status, code));
    }

    private static void resolve(List<Case> all, String name, String body, String code) {
        all.add(new Case("resolve: " + name, "POST", RESOLVE, body.getBytes(StandardCharsets.UTF_8), false, 400, code));
    }

    /** Percent-encodes for a path segment or query value (URLEncoder's '+' for a space is fixed by callers in paths). */
    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
