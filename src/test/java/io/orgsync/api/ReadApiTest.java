package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertClean;
import static io.orgsync.testing.ApiAssertions.assertError;
import static io.orgsync.testing.ExportPicks.byUserid;
import static io.orgsync.testing.ExportPicks.multiDepartment;
import static io.orgsync.testing.ExportPicks.subtree;
import static io.orgsync.testing.MemberShape.department;
import static io.orgsync.testing.MemberShape.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.store.Sql;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MemberShape;
import io.orgsync.testing.NodePerDialect;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.Scrape;
import io.orgsync.testing.SimulatorControl;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The read API of docs/http-api.md over real HTTP, after a real sync from the simulator, on H2 and MariaDB:
 * member by userid, members by name or userid prefix, the department tree with member counts and
 * a department's members (recursive on request), every list paged to the end with cursors and
 * compared with the simulator's truth; departed members only on request; and refusals (unknown
 * enterprise, malformed ids, limits out of range, cursors edited or reused for another query)
 * answered before the cache or the database is asked.
 */
class ReadApiTest {
    private static final String CORP = "ww-read";
    private static final String SECRET = "read-secret-0123456789";
    private static final String OTHER = "ww-read-other";
    private static final String OTHER_SECRET = "read-other-secret-0123456789";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private static JsonNode truth;
    private static final String LEAVER = "leaver01";

    /**
     * One node per database kind, both enterprises synced; a member synced once, then removed and
     * synced again (departed).
     */
    @RegisterExtension
    static final NodePerDialect nodes = new NodePerDialect("read", "read_api", sim, node -> {
        node.enterprise(CORP, SECRET);
        node.enterprise(OTHER, OTHER_SECRET);
        assertEquals(RunStatus.SUCCEEDED, node.sync(OTHER).status());
        sim.post(
                "/__sim/corps/" + CORP + "/members",
                Map.of("userid", LEAVER, "name", "离职者", "mobile", "13912340000", "department", List.of(2)));
        assertEquals(RunStatus.SUCCEEDED, node.sync(CORP).status());
        sim.send("DELETE", "/__sim/corps/" + CORP + "/members/" + LEAVER, null);
        assertEquals(RunStatus.SUCCEEDED, node.sync(CORP).status());
        truth = sim.export(CORP);
    });

    @BeforeAll
    static void start() {
        sim.createCorp(CORP, SECRET, 12, 150, true);
        // an app created after 2022-06-20: no mobiles, no e-mails
        sim.createCorp(OTHER, OTHER_SECRET, 2, 5, false);
        // a Latin name to search case-insensitively (the generated ones are Chinese)
        sim.post(
                "/__sim/corps/" + CORP + "/members",
                Map.of(
                        "userid",
                        "AliceSmith",
                        "name",
                        "Alice Smith",
                        "mobile",
                        "13912345678",
                        "department",
                        List.of(2, 3)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aMemberByUseridHasTheSpecShapeWithPathsAndDepartedOnlyOnRequest(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        JsonNode expected = multiDepartment(truth.path("members"));
        ApiNode.Response r =
                node.get(members(CORP) + "/" + expected.path("userid").asText());
        assertEquals(200, r.status(), r::toString);
        assertClean(r, SECRET);
        assertMember(expected, r.json());

        assertError(node.get(members(CORP) + "/nobody-here"), 404, "not_found", SECRET);
        ApiNode.Response gone = node.get(members(CORP) + "/" + LEAVER);
        assertError(gone, 404, "not_found", SECRET);
        assertTrue(gone.json().path("error").path("message").asText().contains("includeDeparted=true"), gone::toString);
        ApiNode.Response asked = node.get(members(CORP) + "/" + LEAVER + "?includeDeparted=true");
        assertEquals(200, asked.status(), asked::toString);
        assertEquals(LEAVER, asked.json().path("userid").asText());
        assertEquals(5, asked.json().path("status").asInt(), "a departed member has WeCom's status 5: " + asked);
        assertError(node.get(members(OTHER) + "/" + expected.path("userid").asText()), 404, "not_found", SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void whatTheAppCannotReadIsNullNeverAnEmptyString(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        JsonNode hidden = sim.export(OTHER);
        ApiNode.Response r = node.get(members(OTHER) + "?limit=1000");
        assertEquals(200, r.status(), r::toString);
        JsonNode items = r.json().path("items");
        assertEquals(hidden.path("members").size(), items.size());
        for (JsonNode m : items) {
            assertTrue(m.path("mobile").isNull(), m::toString);
            assertTrue(m.path("email").isNull(), m::toString);
            MemberShape.assertMember(hidden, byUserid(hidden, m.path("userid").asText()), m, false);
        }
        assertTrue(!r.text().contains("\"\""), "no empty string that looks like data: " + r.text());
        JsonNode one = items.get(0);
        ApiNode.Response single =
                node.get(members(OTHER) + "/" + one.path("userid").asText());
        assertEquals(one, single.json(), "the same member by userid");
    }

    /**
     * What a set-up that lists ids only (a contact-sync secret on a new IP) leaves stored: no
     * names, no details, no leader flags. Answered as null, never guessed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aMemberKnownByIdOnlyIsAnsweredWithNulls(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        String corp = "ww-read-ids";
        node.enterprise(corp, "read-ids-secret-0123456789");
        Sql.run(node.node.dataSource(), c -> {
            Sql.update(c, "DELETE FROM member_department WHERE corp_id = ?", corp);
            Sql.update(c, "DELETE FROM member WHERE corp_id = ?", corp);
            Sql.update(c, "DELETE FROM department WHERE corp_id = ?", corp);
            Sql.update(
                    c,
                    "INSERT INTO department (corp_id, id, name, parent_id, sort_order) VALUES (?, 1, NULL, 0, 0), "
                            + "(?, 2, NULL, 1, 0)",
                    corp,
                    corp);
            Sql.update(
                    c,
                    "INSERT INTO member (corp_id, userid, main_department, departed, updated_at) "
                            + "VALUES (?, 'idonly', 2, FALSE, 0)",
                    corp);
            Sql.update(
                    c, "INSERT INTO member_department (corp_id, userid, department_id) VALUES (?, 'idonly', 2)", corp);
        });
        JsonNode m = node.get(members(corp) + "/idonly").json();
        for (String field :
                List.of("name", "mobile", "email", "position", "status", "directLeader", "alias", "telephone")) {
            assertTrue(m.path(field).isNull(), field + " of " + m);
        }
        JsonNode d = m.path("departments").get(0);
        assertEquals(2, d.path("id").asInt(), m::toString);
        assertTrue(
                d.path("name").isNull()
                        && d.path("path").isNull()
                        && d.path("isLeader").isNull(),
                m::toString);
        JsonNode tree = node.get("/api/v1/corps/" + corp + "/departments").json();
        assertEquals(2, tree.size(), tree::toString);
        assertTrue(tree.get(0).path("name").isNull() && tree.get(0).path("path").isNull(), tree::toString);
        assertTrue(
                tree.get(0).path("leaders").isArray()
                        && tree.get(0).path("leaders").isEmpty(),
                "no member in 1: it has no leaders, " + tree);
        assertTrue(tree.get(1).path("leaders").isNull(), "its member's flag is not known: " + tree);
        assertEquals(1, tree.get(1).path("memberCount").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void membersByPrefixOfNameOrUseridIgnoreCaseAndPageToTheEnd(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        String surname = truth.path("members").get(0).path("name").asText().substring(0, 1);
        String useridStart = truth.path("members")
                .get(1)
                .path("userid")
                .asText()
                .substring(0, 3)
                .toUpperCase(Locale.ROOT);
        for (String q : List.of(surname, useridStart, "aLiCe", "alicesm", "")) {
            List<String> expected = new ArrayList<>();
            String folded = q.toLowerCase(Locale.ROOT);
            for (JsonNode m : sorted(truth.path("members"))) {
                if (m.path("name").asText().toLowerCase(Locale.ROOT).startsWith(folded)
                        || m.path("userid").asText().toLowerCase(Locale.ROOT).startsWith(folded)) {
                    expected.add(m.path("userid").asText());
                }
            }
            assertTrue(!expected.isEmpty(), q);
            List<JsonNode> all = pageAll(node, members(CORP) + "?q=" + enc(q), 7);
            assertEquals(expected, userids(all), "q=" + q + ": every match once, in userid order");
            for (JsonNode m : all) {
                assertMember(byUserid(truth, m.path("userid").asText()), m);
            }
        }
        assertEquals(
                List.of("AliceSmith"),
                userids(pageAll(node, members(CORP) + "?q=alice+s", 100)),
                "a space in the prefix");
        assertTrue(
                userids(pageAll(node, members(CORP) + "?q=", 1000)).size()
                        == truth.path("members").size(),
                "no q: everyone");
        List<String> withLeaver =
                userids(pageAll(node, members(CORP) + "?q=" + enc(LEAVER) + "&includeDeparted=true", 100));
        assertTrue(withLeaver.contains(LEAVER), "departed members on request: " + withLeaver);
        for (JsonNode m : node.get(members(CORP) + "?q=" + enc(LEAVER) + "&includeDeparted=true&limit=1000")
                .json()
                .path("items")) {
            assertEquals(
                    m.path("userid").asText().equals(LEAVER), m.path("status").asInt() == 5, m::toString);
        }
        assertTrue(
                !userids(pageAll(node, members(CORP) + "?q=" + enc(LEAVER), 100))
                        .contains(LEAVER),
                "and only then");

        JsonNode first = node.get(members(CORP)).json();
        assertEquals(Set.of("items", "nextCursor"), names(first));
        assertEquals(100, first.path("items").size(), "limit defaults to 100");
        JsonNode whole = node.get(members(CORP) + "?limit=1000").json();
        assertEquals(truth.path("members").size(), whole.path("items").size(), "limit up to 1000: one page");
        assertTrue(whole.path("nextCursor").isNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void theDepartmentTreeHasPathsOrderAndMemberCounts(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        ApiNode.Response r = node.get("/api/v1/corps/" + CORP + "/departments");
        assertEquals(200, r.status(), r::toString);
        JsonNode tree = r.json();
        assertTrue(tree.isArray());
        Map<Long, Integer> counts = new TreeMap<>();
        for (JsonNode m : truth.path("members")) {
            m.path("department").forEach(d -> counts.merge(d.asLong(), 1, Integer::sum));
        }
        assertEquals(truth.path("departments").size(), tree.size());
        Set<Long> seen = new HashSet<>();
        int leadersSeen = 0;
        for (JsonNode d : tree) {
            assertEquals(Set.of("id", "name", "parentId", "order", "path", "memberCount", "leaders"), names(d));
            long id = d.path("id").asLong();
            JsonNode t = department(truth, id);
            assertEquals(t.path("name").asText(), d.path("name").asText());
            assertEquals(t.path("parentid").asLong(), d.path("parentId").asLong());
            assertEquals(t.path("order").asLong(), d.path("order").asLong());
            assertEquals(OrgTruth.path(truth, id), d.path("path").asText());
            assertEquals((int) counts.getOrDefault(id, 0), d.path("memberCount").asInt(), "members directly in " + id);
            List<String> leaders = new ArrayList<>();
            t.path("department_leader").forEach(l -> leaders.add(l.asText()));
            assertTrue(d.path("leaders").isArray(), d::toString);
            assertEquals(leaders.stream().sorted().toList(), texts(d.path("leaders")), "WeCom's department_leader");
            leadersSeen += leaders.size();
            assertTrue(
                    id == 1 || seen.contains(d.path("parentId").asLong()), "a parent comes before its children: " + id);
            seen.add(id);
        }
        assertTrue(leadersSeen > 0, "the org has department leaders");
        int withDeparted = 0;
        for (JsonNode d : node.get("/api/v1/corps/" + CORP + "/departments?includeDeparted=true")
                .json()) {
            withDeparted += d.path("memberCount").asInt();
        }
        int without = 0;
        for (JsonNode d : tree) {
            without += d.path("memberCount").asInt();
        }
        assertTrue(withDeparted > without, "the departed member counts only on request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aDepartmentsMembersDirectlyOrWithItsSubDepartments(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        long parent = departmentWithChildren(truth);
        Set<Long> subtree = subtree(truth, parent);
        List<String> direct = new ArrayList<>();
        List<String> below = new ArrayList<>();
        for (JsonNode m : sorted(truth.path("members"))) {
            Set<Long> in = new HashSet<>();
            m.path("department").forEach(d -> in.add(d.asLong()));
            if (in.contains(parent)) {
                direct.add(m.path("userid").asText());
            }
            if (in.stream().anyMatch(subtree::contains)) {
                below.add(m.path("userid").asText());
            }
        }
        assertTrue(below.size() > direct.size(), "the sub-departments have members of their own");
        String path = "/api/v1/corps/" + CORP + "/departments/" + parent + "/members";
        assertEquals(direct, userids(pageAll(node, path, 3)));
        assertEquals(direct, userids(pageAll(node, path + "?recursive=false", 1000)));
        List<JsonNode> all = pageAll(node, path + "?recursive=true", 4);
        assertEquals(below, userids(all));
        for (JsonNode m : all) {
            assertMember(byUserid(truth, m.path("userid").asText()), m);
        }
        assertError(node.get("/api/v1/corps/" + CORP + "/departments/99999/members"), 404, "not_found", SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void refusalsSayWhatToFixAndReachNeitherTheCacheNorTheDatabase(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        String search = members(CORP) + "?q=";
        String cursor = node.get(search + "&limit=2").json().path("nextCursor").asText();
        assertNotNull(cursor);
        String dept = "/api/v1/corps/" + CORP + "/departments/1/members?recursive=true";
        String deptCursor =
                node.get(dept + "&limit=2").json().path("nextCursor").asText();
        char last = cursor.charAt(cursor.length() - 1);
        String edited = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');
        String forged = enc(java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("zzzz".getBytes(StandardCharsets.UTF_8))
                + cursor.substring(cursor.indexOf('.')));

        double misses = Scrape.value(node, "orgsync_lookup_cache_misses_total");
        long calls = sim.stats().path("totalCalls").asLong();
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put(members("ww-nobody") + "/someone", "unknown_corp");
        refused.put(members("ww-nobody") + "?q=a", "unknown_corp");
        refused.put("/api/v1/corps/ww-nobody/departments", "unknown_corp");
        refused.put("/api/v1/corps/ww-nobody/departments/1/members", "unknown_corp");
        refused.put(members("ww%20bad") + "/someone", "invalid_request");
        refused.put(members("w".repeat(65)) + "?q=a", "invalid_request");
        refused.put(members(CORP) + "/" + "u".repeat(65), "invalid_request");
        refused.put(members(CORP) + "/bad%20userid", "invalid_request");
        refused.put(members(CORP) + "/x?includeDeparted=yes", "invalid_request");
        refused.put(members(CORP) + "?limit=0", "invalid_request");
        refused.put(members(CORP) + "?limit=1001", "invalid_request");
        refused.put(members(CORP) + "?limit=-1", "invalid_request");
        refused.put(members(CORP) + "?limit=ten", "invalid_request");
        refused.put(members(CORP) + "?q=" + "a".repeat(65), "invalid_request");
        refused.put(members(CORP) + "?q=a%01b", "invalid_request");
        refused.put(search + "&cursor=" + enc(edited), "invalid_request");
        refused.put(search + "&cursor=" + forged, "invalid_request");
        refused.put(search + "&cursor=not-a-cursor", "invalid_request");
        refused.put(search + "&cursor=", "invalid_request");
        refused.put(search + "x&cursor=" + enc(cursor), "invalid_request");
        refused.put(search + "&includeDeparted=true&cursor=" + enc(cursor), "invalid_request");
        refused.put(members(CORP) + "?cursor=" + enc(deptCursor), "invalid_request");
        refused.put(
                dept.replace("recursive=true", "recursive=false") + "&cursor=" + enc(deptCursor), "invalid_request");
        refused.put("/api/v1/corps/" + CORP + "/departments/0/members", "invalid_request");
        refused.put("/api/v1/corps/" + CORP + "/departments/-3/members", "invalid_request");
        refused.put("/api/v1/corps/" + CORP + "/departments/4294967296/members", "invalid_request");
        refused.put("/api/v1/corps/" + CORP + "/departments/abc/members", "invalid_request");
        refused.put("/api/v1/corps/" + CORP + "/departments/2/members?recursive=maybe", "invalid_request");
        refused.put("/api/v1/corps/" + CORP + "/departments?includeDeparted=1", "invalid_request");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            ApiNode.Response r = node.get(e.getKey());
            int status = e.getValue().equals("unknown_corp") ? 404 : 400;
            assertEquals(status, r.status(), () -> e.getKey() + ": " + r);
            assertError(r, status, e.getValue(), SECRET);
            String message = r.json().path("error").path("message").asText();
            assertTrue(message.length() > 20, () -> e.getKey() + " says what to fix: " + message);
        }
        assertEquals(
                misses,
                Scrape.value(node, "orgsync_lookup_cache_misses_total"),
                "no refusal built an answer from the database");
        assertEquals(calls, sim.stats().path("totalCalls").asLong(), "nor called the upstream");

        // the untouched cursor works, and gives the page after the first
        ApiNode.Response next = node.get(search + "&limit=2&cursor=" + enc(cursor));
        assertEquals(200, next.status(), next::toString);
        assertNotEquals(
                node.get(search + "&limit=2")
                        .json()
                        .path("items")
                        .get(0)
                        .path("userid")
                        .asText(),
                next.json().path("items").get(0).path("userid").asText());
    }

    @Test
    void aRepeatedReadIsServedFromTheCache() throws Exception {
        ApiNode node = nodes.get("mariadb");
        String userid = truth.path("members").get(5).path("userid").asText();
        ApiNode.Response first = node.get(members(CORP) + "/" + userid);
        double hits = Scrape.value(node, "orgsync_lookup_cache_hits_total");
        double misses = Scrape.value(node, "orgsync_lookup_cache_misses_total");
        for (int i = 0; i < 5; i++) {
            ApiNode.Response again = node.get(members(CORP) + "/" + userid);
            assertEquals(first.text(), again.text());
        }
        assertEquals(hits + 5, Scrape.value(node, "orgsync_lookup_cache_hits_total"));
        assertEquals(misses, Scrape.value(node, "orgsync_lookup_cache_misses_total"));
        assertTrue(Scrape.value(node, "orgsync_lookup_cache_size") > 0);
    }

    // ---- helpers

    private static void assertMember(JsonNode expected, JsonNode m) {
        MemberShape.assertMember(truth, expected, m, true);
    }

    /** Every item of a list route, following nextCursor to the end. */
    private static List<JsonNode> pageAll(ApiNode node, String path, int limit) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        String sep = path.contains("?") ? "&" : "?";
        for (int pages = 0; pages < 10_000; pages++) {
            ApiNode.Response r =
                    node.get(path + sep + "limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            assertEquals(200, r.status(), () -> path + ": " + r);
            JsonNode body = r.json();
            assertTrue(body.path("items").size() <= limit);
            body.path("items").forEach(out::add);
            if (body.path("nextCursor").isNull()) {
                return out;
            }
            assertEquals(limit, body.path("items").size(), "only the last page is short");
            cursor = body.path("nextCursor").asText();
        }
        throw new AssertionError("no end of pages");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String members(String corpId) {
        return "/api/v1/corps/" + corpId + "/members";
    }

    private static List<String> userids(List<JsonNode> members) {
        return members.stream().map(m -> m.path("userid").asText()).toList();
    }

    private static List<JsonNode> sorted(JsonNode members) {
        List<JsonNode> out = new ArrayList<>();
        members.forEach(out::add);
        out.sort((a, b) -> a.path("userid").asText().compareTo(b.path("userid").asText()));
        return out;
    }

    /** A department other than the root whose sub-departments have members. */
    private static long departmentWithChildren(JsonNode export) {
        long best = -1;
        int most = 0;
        for (JsonNode d : export.path("departments")) {
            long id = d.path("id").asLong();
            int size = subtree(export, id).size();
            if (id != 1 && size > most) {
                best = id;
                most = size;
            }
        }
        assertTrue(most > 1, "the generated tree has a department with sub-departments");
        return best;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
