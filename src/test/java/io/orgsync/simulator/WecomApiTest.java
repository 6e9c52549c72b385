package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WeCom directory reads, each checked against the simulator's export (the truth). */
class WecomApiTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    static final String CORP = "wwapi";
    String token;
    JsonNode truth;

    @BeforeEach
    void fresh() {
        s.corp(CORP, 25, 300, 42, true, "contactSecret", "c-" + CORP);
        token = s.token(CORP);
        truth = s.export(CORP);
    }

    private SimHttp.Resp call(String pathAndQuery) {
        return s.get(pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "access_token=" + token);
    }

    private Map<Integer, JsonNode> truthDepartments() {
        Map<Integer, JsonNode> out = new HashMap<>();
        truth.get("departments").forEach(d -> out.put(d.get("id").asInt(), d));
        return out;
    }

    private Set<Integer> subtreeIds(int root) {
        Set<Integer> ids = new TreeSet<>(List.of(root));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (JsonNode d : truth.get("departments")) {
                if (ids.contains(d.get("parentid").asInt())
                        && ids.add(d.get("id").asInt())) {
                    grew = true;
                }
            }
        }
        return ids;
    }

    @Test
    void departmentListIsTheWholeTree() {
        JsonNode list = call("/cgi-bin/department/list").assertOk().json().get("department");
        Map<Integer, JsonNode> want = truthDepartments();
        assertEquals(want.size(), list.size());
        for (JsonNode d : list) {
            List<String> fields = new ArrayList<>();
            d.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("id", "name", "name_en", "department_leader", "parentid", "order"), fields);
            JsonNode t = want.get(d.get("id").asInt());
            assertEquals(t.get("name").asText(), d.get("name").asText());
            assertEquals(t.get("name_en").asText(), d.get("name_en").asText());
            assertEquals(t.get("parentid").asInt(), d.get("parentid").asInt());
            assertEquals(t.get("order").asLong(), d.get("order").asLong());
            assertTrue(d.get("department_leader").isArray());
        }
        JsonNode root = list.get(0);
        assertEquals(1, root.get("id").asInt());
        assertEquals(0, root.get("parentid").asInt());
    }

    @Test
    void departmentListWithIdIsTheSubtree() {
        // a department with children, below the root
        int id = truth.get("departments").findValuesAsText("parentid").stream()
                .mapToInt(Integer::parseInt)
                .filter(p -> p > 1)
                .findFirst()
                .orElseThrow();
        Set<Integer> got = new TreeSet<>();
        call("/cgi-bin/department/list?id=" + id)
                .assertOk()
                .json()
                .get("department")
                .forEach(d -> got.add(d.get("id").asInt()));
        assertEquals(subtreeIds(id), got);
        assertTrue(got.size() > 1);
        call("/cgi-bin/department/list?id=99999").assertWecomErr(60123);
        call("/cgi-bin/department/list?id=-3").assertWecomErr(60123);
        call("/cgi-bin/department/list?id=abc").assertWecomErr(40058);
    }

    @Test
    void departmentSimplelist() {
        JsonNode list = call("/cgi-bin/department/simplelist").assertOk().json().get("department_id");
        Map<Integer, JsonNode> want = truthDepartments();
        assertEquals(want.size(), list.size());
        for (JsonNode d : list) {
            List<String> fields = new ArrayList<>();
            d.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("id", "parentid", "order"), fields);
            assertEquals(
                    want.get(d.get("id").asInt()).get("parentid").asInt(),
                    d.get("parentid").asInt());
        }
        Set<Integer> sub = new TreeSet<>();
        call("/cgi-bin/department/simplelist?id=1")
                .assertOk()
                .json()
                .get("department_id")
                .forEach(d -> sub.add(d.get("id").asInt()));
        assertEquals(want.keySet(), sub);
        call("/cgi-bin/department/simplelist?id=4242").assertWecomErr(60123);
    }

    @Test
    void departmentGet() {
        JsonNode t = truthDepartments().get(5);
        JsonNode d = call("/cgi-bin/department/get?id=5").assertOk().json().get("department");
        assertEquals(5, d.get("id").asInt());
        assertEquals(t.get("name").asText(), d.get("name").asText());
        assertEquals(t.get("parentid").asInt(), d.get("parentid").asInt());
        assertEquals(t.get("order").asLong(), d.get("order").asLong());
        call("/cgi-bin/department/get?id=777").assertWecomErr(60123);
        call("/cgi-bin/department/get").assertWecomErr(40058);
    }

    /** Members whose department list names the department, in the truth. */
    private Map<String, JsonNode> truthMembersOf(int dept) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode m : truth.get("members")) {
            for (JsonNode d : m.get("department")) {
                if (d.asInt() == dept) {
                    out.put(m.get("userid").asText(), m);
                }
            }
        }
        return out;
    }

    @Test
    void userListHasTheDirectMembersWithParallelArrays() {
        int total = 0;
        for (JsonNode d : truth.get("departments")) {
            int id = d.get("id").asInt();
            Map<String, JsonNode> want = truthMembersOf(id);
            JsonNode list = call("/cgi-bin/user/list?department_id=" + id)
                    .assertOk()
                    .json()
                    .get("userlist");
            assertEquals(want.size(), list.size(), "direct members of " + id);
            for (JsonNode u : list) {
                JsonNode t = want.get(u.get("userid").asText());
                assertTrue(t != null, "unexpected member " + u.get("userid") + " in " + id);
                assertEquals(t.get("name").asText(), u.get("name").asText());
                assertEquals(t.get("mobile").asText(), u.get("mobile").asText());
                assertEquals(t.get("status").asInt(), u.get("status").asInt());
                assertEquals(t.get("department"), u.get("department"));
                assertEquals(t.get("order"), u.get("order"));
                assertEquals(t.get("is_leader_in_dept"), u.get("is_leader_in_dept"));
                assertEquals(u.get("department").size(), u.get("order").size());
                assertEquals(
                        u.get("department").size(), u.get("is_leader_in_dept").size());
                assertEquals(
                        t.get("main_department").asInt(),
                        u.get("main_department").asInt());
                for (String f : List.of(
                        "position",
                        "gender",
                        "email",
                        "biz_mail",
                        "avatar",
                        "telephone",
                        "alias",
                        "direct_leader",
                        "extattr")) {
                    assertTrue(u.has(f), "user/list member lacks " + f);
                }
                assertTrue(List.of("0", "1", "2").contains(u.get("gender").asText()));
            }
            total += list.size();
        }
        int rows = 0;
        for (JsonNode m : truth.get("members")) {
            rows += m.get("department").size();
        }
        assertEquals(rows, total, "a member in several departments appears once in each");
    }

    @Test
    void aMemberInSeveralDepartmentsAppearsInEach() {
        JsonNode multi = null;
        for (JsonNode m : truth.get("members")) {
            if (m.get("department").size() > 1) {
                multi = m;
                break;
            }
        }
        assertTrue(multi != null, "the generator puts some members in several departments");
        for (JsonNode d : multi.get("department")) {
            boolean found = false;
            for (JsonNode u : call("/cgi-bin/user/list?department_id=" + d.asInt())
                    .assertOk()
                    .json()
                    .get("userlist")) {
                found |= u.get("userid").asText().equals(multi.get("userid").asText());
            }
            assertTrue(found, multi.get("userid") + " missing from department " + d);
        }
    }

    @Test
    void userSimplelist() {
        int id = truth.get("members").get(0).get("department").get(0).asInt();
        Map<String, JsonNode> want = truthMembersOf(id);
        JsonNode list = call("/cgi-bin/user/simplelist?department_id=" + id)
                .assertOk()
                .json()
                .get("userlist");
        assertEquals(want.keySet(), names(list));
        for (JsonNode u : list) {
            assertEquals(
                    want.get(u.get("userid").asText()).get("name").asText(),
                    u.get("name").asText());
            assertEquals(want.get(u.get("userid").asText()).get("department"), u.get("department"));
        }
        call("/cgi-bin/user/simplelist?department_id=31337").assertWecomErr(60123);
        SimHttp.Resp missing = call("/cgi-bin/user/simplelist").assertWecomErr(40058);
        assertEquals(0, missing.json().get("userlist").size());
    }

    private static Set<String> names(JsonNode list) {
        Set<String> out = new HashSet<>();
        list.forEach(u -> out.add(u.get("userid").asText()));
        return out;
    }

    @Test
    void userListOfAnUnknownDepartmentIs60123WithAnEmptyList() {
        SimHttp.Resp r = call("/cgi-bin/user/list?department_id=9999").assertWecomErr(60123);
        assertEquals(0, r.json().get("userlist").size());
    }

    @Test
    void userGetIsCaseInsensitive() {
        JsonNode t = truth.get("members").get(7);
        String userid = t.get("userid").asText();
        JsonNode u = call("/cgi-bin/user/get?userid=" + userid.toUpperCase())
                .assertOk()
                .json();
        assertEquals(userid, u.get("userid").asText());
        assertEquals(t.get("name").asText(), u.get("name").asText());
        assertEquals(t.get("mobile").asText(), u.get("mobile").asText());
        assertEquals(t.get("department"), u.get("department"));
        assertEquals(t.get("status").asInt(), u.get("status").asInt());
        call("/cgi-bin/user/get?userid=nobody-here").assertWecomErr(60111);
    }

    @Test
    void userListIdPagesThroughEveryMemberAndDepartment() {
        String contact = s.token(CORP, "c-" + CORP);
        Set<String> want = new HashSet<>();
        for (JsonNode m : truth.get("members")) {
            m.get("department").forEach(d -> want.add(m.get("userid").asText() + "@" + d.asInt()));
        }
        Set<String> got = new HashSet<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = s.post("/cgi-bin/user/list_id?access_token=" + contact, map("cursor", cursor, "limit", 50))
                    .assertOk()
                    .json();
            assertTrue(page.get("dept_user").size() <= 50);
            page.get("dept_user")
                    .forEach(r -> assertTrue(
                            got.add(r.get("userid").asText() + "@"
                                    + r.get("department").asInt()),
                            "row twice: " + r));
            cursor = page.get("next_cursor").asText();
            pages++;
        } while (!cursor.isEmpty() && pages < 1000);
        assertEquals(want, got);
        assertEquals((want.size() + 49) / 50, pages);
    }

    @Test
    void userListIdNeedsTheContactSyncSecret() {
        SimHttp.Resp r = s.post("/cgi-bin/user/list_id?access_token=" + token, map("limit", 10))
                .assertWecomErr(48002);
        assertEquals(0, r.json().get("dept_user").size());
        String contact = s.token(CORP, "c-" + CORP);
        s.post("/cgi-bin/user/list_id?access_token=" + contact, map("limit", 0)).assertWecomErr(40058);
        s.post("/cgi-bin/user/list_id?access_token=" + contact, "not json").assertWecomErr(47001);
    }

    @Test
    void mobileHiddenFromNewAppsButKeptInTheTruth() {
        s.corp("wwhidden", 6, 40, 7, false);
        String hidden = s.token("wwhidden");
        JsonNode exported = s.export("wwhidden");
        JsonNode t = exported.get("members").get(3);
        assertFalse(t.get("mobile").asText().isEmpty(), "the export keeps the truth");
        JsonNode u = s.get("/cgi-bin/user/get?userid=" + t.get("userid").asText() + "&access_token=" + hidden)
                .assertOk()
                .json();
        assertHidden(u);
        assertEquals(t.get("name").asText(), u.get("name").asText());
        for (JsonNode d : exported.get("departments")) {
            for (JsonNode m : s.get(
                            "/cgi-bin/user/list?department_id=" + d.get("id").asInt() + "&access_token=" + hidden)
                    .assertOk()
                    .json()
                    .get("userlist")) {
                assertHidden(m);
            }
        }
        // getuserid still finds the member by mobile
        JsonNode found = s.post(
                        "/cgi-bin/user/getuserid?access_token=" + hidden,
                        map("mobile", t.get("mobile").asText()))
                .assertOk()
                .json();
        assertEquals(t.get("userid").asText(), found.get("userid").asText());
    }

    private static void assertHidden(JsonNode u) {
        assertEquals("", u.get("mobile").asText());
        assertEquals("", u.get("email").asText());
        assertEquals("", u.get("biz_mail").asText());
        assertEquals("", u.get("avatar").asText());
        assertEquals("0", u.get("gender").asText());
        assertEquals("", u.get("address").asText());
        assertEquals("", u.get("thumb_avatar").asText());
    }
}
