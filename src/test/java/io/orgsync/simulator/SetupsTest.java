package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The set-ups companies have today (docs/upstream.md, "WeCom set-ups"), each answer checked against the
 * export: a contact-sync secret from an old IP reads everything, from a new IP only ids; an app
 * reads within its visible range, without private fields when made after 2022-06-20.
 */
class SetupsTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    static final String CORP = "wwsetup";
    static final String CONTACT = "c-" + CORP;
    JsonNode truth;
    /** A department below the root with departments below it: the app's range. */
    int rangeRoot;

    Set<Integer> inRange;
    /** A member in no department of the range, and one more that the range names by userid. */
    String outside;

    String named;

    @BeforeEach
    void fresh() {
        s.corp(CORP, 25, 300, 42, true, "contactSecret", CONTACT);
        truth = s.export(CORP);
        for (JsonNode d : truth.get("departments")) {
            int id = d.get("id").asInt();
            Set<Integer> below = subtree(id);
            if (id != 1 && below.size() > 1 && (inRange == null || below.size() > inRange.size())) {
                rangeRoot = id;
                inRange = below;
            }
        }
        List<String> outsiders = new ArrayList<>();
        for (JsonNode m : truth.get("members")) {
            if (departments(m).stream().noneMatch(inRange::contains)) {
                outsiders.add(m.get("userid").asText());
            }
        }
        outside = outsiders.get(0);
        named = outsiders.get(1);
    }

    @Test
    void contactSecretFromAnOldIpReadsTheWholeCompanyWithEveryField() {
        setup(map("mobileVisible", false, "appRange", map("departments", List.of(rangeRoot))));
        String contact = s.token(CORP, CONTACT);
        assertEquals(
                truth.get("departments").size(),
                call(contact, "/cgi-bin/department/list")
                        .json()
                        .get("department")
                        .size());
        JsonNode m = member(outside);
        JsonNode got = call(contact, "/cgi-bin/user/get?userid=" + outside).json();
        assertEquals(m.get("mobile").asText(), got.get("mobile").asText(), "the app's age hides nothing from it");
        assertEquals(m.get("email").asText(), got.get("email").asText());
        int dept = departments(m).get(0);
        assertTrue(userids(call(contact, "/cgi-bin/user/list?department_id=" + dept)
                        .json()
                        .get("userlist"))
                .contains(outside));
    }

    @Test
    void contactSecretFromANewIpListsIdsOnly() {
        setup(map("newIp", true));
        String contact = s.token(CORP, CONTACT);
        int dept = departments(member(outside)).get(0);
        assertEquals(
                0,
                err(contact, "/cgi-bin/department/list", 48009)
                        .get("department")
                        .size());
        err(contact, "/cgi-bin/department/get?id=" + dept, 48009);
        assertEquals(
                0,
                err(contact, "/cgi-bin/user/list?department_id=" + dept, 48009)
                        .get("userlist")
                        .size());
        assertEquals(
                0,
                err(contact, "/cgi-bin/user/simplelist?department_id=" + dept, 48009)
                        .get("userlist")
                        .size());
        err(contact, "/cgi-bin/user/get?userid=" + outside, 48009);

        JsonNode tree = call(contact, "/cgi-bin/department/simplelist").json().get("department_id");
        assertEquals(truth.get("departments").size(), tree.size(), "the whole tree, ids and parents");
        for (JsonNode d : tree) {
            assertEquals(List.of("id", "parentid", "order"), fieldNames(d), "no names: " + d);
        }
        Set<String> want = new TreeSet<>();
        truth.get("members")
                .forEach(m ->
                        departments(m).forEach(d -> want.add(m.get("userid").asText() + "@" + d)));
        JsonNode page = s.post("/cgi-bin/user/list_id?access_token=" + contact, map("cursor", "", "limit", 10_000))
                .assertOk()
                .json();
        Set<String> got = new TreeSet<>();
        page.get("dept_user")
                .forEach(r -> got.add(
                        r.get("userid").asText() + "@" + r.get("department").asInt()));
        assertEquals(want, got, "one row per membership");
        assertEquals("", page.get("next_cursor").asText(), "one page holds them all");

        // the app's own secret is not the contact-sync secret: it reads as before
        call(s.token(CORP), "/cgi-bin/user/get?userid=" + outside);
    }

    @Test
    void listIdIsForTheContactSyncSecretWithALimitFrom1To10000() {
        String contact = s.token(CORP, CONTACT);
        for (Object limit : List.of(0, 10_001, -1, "50", 2.5)) {
            s.post("/cgi-bin/user/list_id?access_token=" + contact, map("limit", limit))
                    .assertWecomErr(40058);
        }
        s.post("/cgi-bin/user/list_id?access_token=" + contact, map("limit", 10_000))
                .assertOk();
        s.post("/cgi-bin/user/list_id?access_token=" + contact, map("cursor", "", "limit", 1))
                .assertOk();
        s.post("/cgi-bin/user/list_id?access_token=" + s.token(CORP), map("limit", 10))
                .assertWecomErr(48002);
    }

    @Test
    void appReadsWithinItsVisibleRange() {
        setup(map("appRange", map("departments", List.of(rangeRoot), "users", List.of(named))));
        String app = s.token(CORP);
        assertEquals(inRange, ids(call(app, "/cgi-bin/department/list").json().get("department")));
        assertEquals(
                inRange, ids(call(app, "/cgi-bin/department/simplelist").json().get("department_id")));
        assertEquals(
                subtree(inRange.stream().filter(d -> d != rangeRoot).findFirst().orElseThrow()),
                ids(call(
                                app,
                                "/cgi-bin/department/list?id="
                                        + inRange.stream()
                                                .filter(d -> d != rangeRoot)
                                                .findFirst()
                                                .orElseThrow())
                        .json()
                        .get("department")));
        int away = departments(member(outside)).get(0);
        assertEquals(
                0,
                err(app, "/cgi-bin/department/list?id=" + away, 60011)
                        .get("department")
                        .size());
        assertEquals(
                0,
                err(app, "/cgi-bin/department/list?id=1", 60011)
                        .get("department")
                        .size());
        err(app, "/cgi-bin/department/simplelist?id=" + away, 60011);
        err(app, "/cgi-bin/department/get?id=" + away, 60011);
        assertEquals(
                0,
                err(app, "/cgi-bin/user/list?department_id=" + away, 60011)
                        .get("userlist")
                        .size());
        err(app, "/cgi-bin/user/simplelist?department_id=" + away, 60011);
        err(app, "/cgi-bin/user/get?userid=" + outside, 60011);
        err(app, "/cgi-bin/department/get?id=4242", 60123);

        assertEquals(
                rangeRoot,
                call(app, "/cgi-bin/department/get?id=" + rangeRoot)
                        .json()
                        .at("/department/id")
                        .asInt());
        assertEquals(
                named,
                call(app, "/cgi-bin/user/get?userid=" + named)
                        .json()
                        .get("userid")
                        .asText());
        Set<String> seen = new HashSet<>();
        for (int d : inRange) {
            seen.addAll(userids(
                    call(app, "/cgi-bin/user/list?department_id=" + d).json().get("userlist")));
        }
        Set<String> want = new HashSet<>();
        for (JsonNode m : truth.get("members")) {
            if (departments(m).stream().anyMatch(inRange::contains)) {
                want.add(m.get("userid").asText());
            }
        }
        assertEquals(want, seen, "a department of the range lists all its members");

        // getuserid: the app must see the member; one outside is not found, and counts as a failure
        s.post(
                        "/cgi-bin/user/getuserid?access_token=" + app,
                        map("mobile", member(outside).get("mobile").asText()))
                .assertWecomErr(46004);
        JsonNode inside = member(want.iterator().next());
        assertEquals(
                inside.get("userid").asText(),
                s.post(
                                "/cgi-bin/user/getuserid?access_token=" + app,
                                map("mobile", inside.get("mobile").asText()))
                        .assertOk()
                        .json()
                        .get("userid")
                        .asText());

        JsonNode export = s.export(CORP);
        for (JsonNode m : export.get("members")) {
            String userid = m.get("userid").asText();
            assertEquals(
                    want.contains(userid) || userid.equals(named),
                    m.get("appSees").asBoolean(),
                    userid);
        }
        for (JsonNode d : export.get("departments")) {
            assertEquals(inRange.contains(d.get("id").asInt()), d.get("appSees").asBoolean(), d.toString());
        }
    }

    @Test
    void anAppRangeOfMembersOnlyListsNoDepartment() {
        setup(map("appRange", map("users", List.of(named))));
        String app = s.token(CORP);
        assertEquals(
                0,
                call(app, "/cgi-bin/department/list").json().get("department").size());
        call(app, "/cgi-bin/user/get?userid=" + named.toUpperCase());
        err(app, "/cgi-bin/user/get?userid=" + outside, 60011);
    }

    @Test
    void appMadeAfter2022SeesNoPrivateFieldsButEveryOther() {
        setup(map("mobileVisible", false));
        String app = s.token(CORP);
        for (JsonNode u : call(app, "/cgi-bin/user/list?department_id=" + rangeRoot)
                .json()
                .get("userlist")) {
            JsonNode m = member(u.get("userid").asText());
            for (String hidden :
                    List.of("mobile", "email", "biz_mail", "avatar", "thumb_avatar", "address", "qr_code")) {
                assertEquals("", u.get(hidden).asText(), hidden);
            }
            assertEquals("0", u.get("gender").asText());
            for (String kept : List.of(
                    "name",
                    "department",
                    "order",
                    "is_leader_in_dept",
                    "direct_leader",
                    "alias",
                    "telephone",
                    "status",
                    "main_department",
                    "position")) {
                assertEquals(m.get(kept), u.get(kept), kept);
            }
        }
    }

    @Test
    void membersHaveLeadersAliasesTelephonesAndEveryStatus() {
        String app = s.token(CORP);
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        Set<Integer> statuses = new TreeSet<>();
        int aliases = 0;
        int directLeaders = 0;
        for (JsonNode d : call(app, "/cgi-bin/department/list").json().get("department")) {
            Set<String> leaders = new LinkedHashSet<>();
            for (JsonNode u : call(
                            app,
                            "/cgi-bin/user/list?department_id=" + d.get("id").asInt())
                    .json()
                    .get("userlist")) {
                byId.put(u.get("userid").asText(), u);
                int i = indexOf(u.get("department"), d.get("id").asInt());
                assertEquals(
                        u.get("department").size(), u.get("is_leader_in_dept").size(), "parallel arrays");
                if (u.get("is_leader_in_dept").get(i).asInt() == 1) {
                    leaders.add(u.get("userid").asText());
                }
            }
            assertEquals(leaders, new LinkedHashSet<>(userids(d.get("department_leader"))), "leaders of " + d);
        }
        for (JsonNode u : byId.values()) {
            statuses.add(u.get("status").asInt());
            aliases += u.get("alias").asText().isEmpty() ? 0 : 1;
            directLeaders += u.get("direct_leader").size();
            assertTrue(departments(u).contains(u.get("main_department").asInt()));
            assertTrue(u.get("telephone").asText().matches("010-\\d{8}"), u.toString());
            for (JsonNode leader : u.get("direct_leader")) {
                assertTrue(byId.containsKey(leader.asText()) || member(leader.asText()) != null, leader.asText());
                assertFalse(leader.asText().equals(u.get("userid").asText()), "nobody leads themself");
            }
        }
        assertEquals(Set.of(1, 2, 4, 5), statuses);
        assertTrue(aliases > 30 && aliases < 200, aliases + " aliases of " + byId.size());
        assertTrue(directLeaders > 100, directLeaders + " direct leaders");
    }

    @Test
    void setupChangesLaterApplyToTokensAlreadyIssued() {
        String contact = s.token(CORP, CONTACT);
        String app = s.token(CORP);
        call(contact, "/cgi-bin/user/get?userid=" + outside);
        JsonNode changed = s.patch(
                        "/__sim/corps/" + CORP + "/setup",
                        map("newIp", true, "appRange", map("departments", List.of(rangeRoot))))
                .json();
        assertEquals(
                "{\"corpId\":\"wwsetup\",\"mobileVisible\":true,\"hasContactSecret\":true,\"newIp\":true,"
                        + "\"appRange\":{\"departments\":[" + rangeRoot + "],\"users\":[]}}",
                changed.toString());
        err(contact, "/cgi-bin/user/get?userid=" + outside, 48009);
        err(app, "/cgi-bin/user/get?userid=" + outside, 60011);
        // fields left out stay; an empty range is the whole company again
        assertEquals(
                changed.toString().replace("[" + rangeRoot + "]", "[]"),
                s.patch("/__sim/corps/" + CORP + "/setup", map("appRange", map()))
                        .json()
                        .toString());
        assertEquals(
                s.get("/__sim/corps/" + CORP + "/setup").json().toString(),
                changed.toString().replace("[" + rangeRoot + "]", "[]"));
        call(app, "/cgi-bin/user/get?userid=" + outside);
        s.patch("/__sim/corps/" + CORP + "/setup", map("newIp", false));
        call(contact, "/cgi-bin/user/get?userid=" + outside);
    }

    @Test
    void setupRefusals() {
        String p = "/__sim/corps/" + CORP + "/setup";
        refused(
                s.patch(p, map("colour", "red")),
                "unknown set-up field 'colour'; known: [contactSecret, newIp, mobileVisible, appRange]");
        refused(
                s.patch(p, map("appRange", map("departments", List.of(4242)))),
                "appRange.departments: no department 4242");
        refused(s.patch(p, map("appRange", map("users", List.of("nobody")))), "appRange.users: no member nobody");
        refused(
                s.patch(p, map("appRange", map("departments", List.of(0)))),
                "appRange.departments must be department ids of 1 or more");
        refused(s.patch(p, map("newIp", "yes")), "newIp must be true or false");
        refused(s.patch(p, map("contactSecret", " ")), "contactSecret is required");
        refused(
                s.post("/__sim/corps", map("corpId", "wwnoc", "secret", "x", "newIp", true)),
                "newIp needs a contactSecret: it is the contact-sync secret that is refused from a new IP");
        refused(
                s.post(
                        "/__sim/corps",
                        map("corpId", "wwnoc", "secret", "x", "appRange", map("departments", List.of(99)))),
                "appRange.departments: no department 99");
        assertFalse(s.get("/__sim/corps").json().toString().contains("wwnoc"), "nothing half-made");
        assertEquals(
                404, s.patch("/__sim/corps/nosuch/setup", map("newIp", true)).status());
        // a refused change changes nothing
        assertEquals(
                "{\"corpId\":\"wwsetup\",\"mobileVisible\":true,\"hasContactSecret\":true,\"newIp\":false,"
                        + "\"appRange\":{\"departments\":[],\"users\":[]}}",
                s.get(p).json().toString());
    }

    // ---- helpers ----

    private void setup(Map<String, Object> fields) {
        SimHttp.Resp r = s.patch("/__sim/corps/" + CORP + "/setup", fields);
        assertEquals(200, r.status(), r::text);
    }

    private static void refused(SimHttp.Resp r, String error) {
        assertEquals(400, r.status(), r::text);
        assertEquals(error, r.json().get("error").asText());
    }

    private static SimHttp.Resp call(String token, String pathAndQuery) {
        return s.get(pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "access_token=" + token)
                .assertOk();
    }

    private static JsonNode err(String token, String pathAndQuery, int errcode) {
        return s.get(pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "access_token=" + token)
                .assertWecomErr(errcode)
                .json();
    }

    private JsonNode member(String userid) {
        for (JsonNode m : truth.get("members")) {
            if (m.get("userid").asText().equals(userid)) {
                return m;
            }
        }
        return null;
    }

    private Set<Integer> subtree(int root) {
        Set<Integer> ids = new TreeSet<>(List.of(root));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (JsonNode d : truth.get("departments")) {
                grew |= ids.contains(d.get("parentid").asInt())
                        && ids.add(d.get("id").asInt());
            }
        }
        return ids;
    }

    private static List<Integer> departments(JsonNode member) {
        List<Integer> out = new ArrayList<>();
        member.get("department").forEach(d -> out.add(d.asInt()));
        return out;
    }

    private static Set<Integer> ids(JsonNode list) {
        Set<Integer> out = new TreeSet<>();
        list.forEach(d -> assertTrue(out.add(d.get("id").asInt()), "listed twice: " + d));
        return out;
    }

    private static Set<String> userids(JsonNode list) {
        Set<String> out = new HashSet<>();
        list.forEach(u -> out.add(u.isTextual() ? u.asText() : u.get("userid").asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static int indexOf(JsonNode array, int value) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).asInt() == value) {
                return i;
            }
        }
        throw new AssertionError(value + " not in " + array);
    }
}
