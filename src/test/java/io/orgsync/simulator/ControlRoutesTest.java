package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Org changes through the control routes show up in the API answers at once (answers are cached
 * per org snapshot, so each test reads an answer first, changes the org, then reads again), and
 * bad control input is answered 4xx with a clear {"error"}.
 */
class ControlRoutesTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    static final String CORP = "wwctl";
    static final String P = "/__sim/corps/" + CORP;
    String token;

    @BeforeEach
    void fresh() {
        s.corp(CORP, 6, 30, 11, true);
        token = s.token(CORP);
    }

    private JsonNode api(String pathAndQuery) {
        return s.get(pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "access_token=" + token)
                .assertOk()
                .json();
    }

    private Set<String> userids(int dept) {
        Set<String> out = new HashSet<>();
        api("/cgi-bin/user/list?department_id=" + dept)
                .get("userlist")
                .forEach(u -> out.add(u.get("userid").asText()));
        return out;
    }

    private Set<String> simpleUserids(int dept) {
        Set<String> out = new HashSet<>();
        api("/cgi-bin/user/simplelist?department_id=" + dept)
                .get("userlist")
                .forEach(u -> out.add(u.get("userid").asText()));
        return out;
    }

    private JsonNode department(JsonNode list, int id) {
        for (JsonNode d : list.get("department")) {
            if (d.get("id").asInt() == id) {
                return d;
            }
        }
        return null;
    }

    @Test
    void addMember() {
        assertFalse(userids(3).contains("newbie"));
        assertFalse(simpleUserids(3).contains("newbie"));
        SimHttp.Resp r = s.post(
                P + "/members",
                map(
                        "userid",
                        "newbie",
                        "name",
                        "新人",
                        "mobile",
                        "13912345678",
                        "department",
                        List.of(3, 4),
                        "status",
                        4));
        assertEquals(201, r.status(), r::text);
        assertTrue(userids(3).contains("newbie"));
        assertTrue(userids(4).contains("newbie"));
        assertTrue(simpleUserids(3).contains("newbie"));
        JsonNode u = api("/cgi-bin/user/get?userid=newbie");
        assertEquals("新人", u.get("name").asText());
        assertEquals(4, u.get("status").asInt());
        assertEquals(
                "newbie",
                s.post("/cgi-bin/user/getuserid?access_token=" + token, map("mobile", "13912345678"))
                        .assertOk()
                        .json()
                        .get("userid")
                        .asText());
        assertEquals(
                409,
                s.post(P + "/members", map("userid", "NEWBIE", "department", List.of(1)))
                        .status());
    }

    @Test
    void patchMemberMovesRenamesAndChangesMobile() {
        JsonNode m = s.export(CORP).get("members").get(0);
        String userid = m.get("userid").asText();
        String oldMobile = m.get("mobile").asText();
        int from = m.get("department").get(0).asInt();
        int to = from == 2 ? 3 : 2;
        assertTrue(userids(from).contains(userid));
        api("/cgi-bin/user/get?userid=" + userid);
        SimHttp.Resp r = s.patch(
                P + "/members/" + userid, map("department", List.of(to), "name", "改名", "mobile", "+852 61234567"));
        assertEquals(200, r.status(), r::text);
        assertFalse(userids(from).contains(userid));
        assertTrue(userids(to).contains(userid));
        JsonNode u = api("/cgi-bin/user/get?userid=" + userid);
        assertEquals("改名", u.get("name").asText());
        assertEquals("+852 61234567", u.get("mobile").asText());
        assertEquals(List.of(to), List.of(u.get("department").get(0).asInt()));
        assertEquals(to, u.get("main_department").asInt());
        s.post("/cgi-bin/user/getuserid?access_token=" + token, map("mobile", oldMobile))
                .assertWecomErr(46004);
        assertEquals(
                userid,
                s.post("/cgi-bin/user/getuserid?access_token=" + token, map("mobile", "+85261234567"))
                        .assertOk()
                        .json()
                        .get("userid")
                        .asText());
        // status change shows too
        s.patch(P + "/members/" + userid, map("status", 5));
        assertEquals(5, api("/cgi-bin/user/get?userid=" + userid).get("status").asInt());
    }

    @Test
    void deleteMember() {
        JsonNode m = s.export(CORP).get("members").get(1);
        String userid = m.get("userid").asText();
        int dept = m.get("department").get(0).asInt();
        assertTrue(userids(dept).contains(userid));
        assertEquals(200, s.delete(P + "/members/" + userid).status());
        assertFalse(userids(dept).contains(userid));
        s.get("/cgi-bin/user/get?userid=" + userid + "&access_token=" + token).assertWecomErr(60111);
        s.post(
                        "/cgi-bin/user/getuserid?access_token=" + token,
                        map("mobile", m.get("mobile").asText()))
                .assertWecomErr(46004);
        assertEquals(404, s.delete(P + "/members/" + userid).status());
        assertTrue(s.export(CORP).get("members").findValuesAsText("userid").stream()
                .noneMatch(userid::equals));
    }

    @Test
    void addRenameMoveAndDeleteDepartment() {
        int before = api("/cgi-bin/department/list").get("department").size();
        api("/cgi-bin/department/simplelist");
        SimHttp.Resp made = s.post(P + "/departments", map("id", 100, "name", "新部门", "parentid", 2, "order", 5));
        assertEquals(201, made.status(), made::text);
        JsonNode list = api("/cgi-bin/department/list");
        assertEquals(before + 1, list.get("department").size());
        assertEquals(2, department(list, 100).get("parentid").asInt());
        assertEquals(
                before + 1,
                api("/cgi-bin/department/simplelist").get("department_id").size());
        assertEquals(
                0, api("/cgi-bin/user/list?department_id=100").get("userlist").size());

        assertEquals(200, s.patch(P + "/departments/100", map("name", "改名部门")).status());
        assertEquals(
                "改名部门",
                api("/cgi-bin/department/get?id=100")
                        .get("department")
                        .get("name")
                        .asText());
        assertEquals(
                "改名部门",
                department(api("/cgi-bin/department/list"), 100).get("name").asText());

        api("/cgi-bin/department/list?id=3");
        assertEquals(200, s.patch(P + "/departments/100", map("parentid", 3)).status());
        assertEquals(
                3,
                department(api("/cgi-bin/department/list"), 100).get("parentid").asInt());
        assertTrue(department(api("/cgi-bin/department/list?id=3"), 100) != null, "moved into 3's subtree");

        s.post(P + "/members", map("userid", "inhundred", "department", List.of(100)));
        assertEquals(Set.of("inhundred"), userids(100));
        assertEquals(200, s.delete(P + "/departments/100").status());
        s.get("/cgi-bin/department/get?id=100&access_token=" + token).assertWecomErr(60123);
        s.get("/cgi-bin/user/list?department_id=100&access_token=" + token).assertWecomErr(60123);
        assertEquals(before, api("/cgi-bin/department/list").get("department").size());
        // its only member moved up to the parent
        assertTrue(userids(3).contains("inhundred"));
    }

    @Test
    void departmentChangesThatWouldBreakTheTreeAreRefused() {
        assertEquals(400, s.delete(P + "/departments/1").status());
        assertEquals(400, s.patch(P + "/departments/1", map("parentid", 2)).status());
        assertEquals(
                409, s.post(P + "/departments", map("id", 2, "name", "dup")).status());
        assertEquals(
                400,
                s.post(P + "/departments", map("name", "orphan", "parentid", 999))
                        .status());
        assertEquals(404, s.patch(P + "/departments/999", map("name", "x")).status());
        assertEquals(400, s.patch(P + "/departments/abc", map("name", "x")).status());
        s.post(P + "/departments", map("id", 200, "name", "child", "parentid", 2));
        SimHttp.Resp below = s.patch(P + "/departments/2", map("parentid", 200));
        assertEquals(400, below.status());
        assertTrue(below.json().get("error").asText().contains("below itself"));
        assertEquals(409, s.delete(P + "/departments/2").status());
    }

    @Test
    void badControlInputAnswers4xxWithAnError() {
        assertError(s.post("/__sim/corps", "not json"), 400, "JSON");
        assertError(s.post("/__sim/corps", map("corpId", CORP, "secret", "x")), 409, CORP);
        assertError(s.post("/__sim/corps", map("secret", "x")), 400, "corpId");
        assertError(s.post("/__sim/corps", map("corpId", "bad id!", "secret", "x")), 400, "corpId");
        assertError(s.post("/__sim/corps", map("corpId", "wwneg", "secret", "x", "members", -5)), 400, "members");
        assertError(s.get("/__sim/corps/nosuch/export"), 404, "nosuch");
        assertError(s.post("/__sim/corps/nosuch/members", map("userid", "x")), 404, "nosuch");
        assertError(s.put("/__sim/limits", map("nonsense", 1)), 400, "nonsense");
        assertError(s.post("/__sim/tokens/invalidate", map("corpId", "nosuch")), 404, "nosuch");
        assertError(s.post("/__sim/tokens/invalidate", map()), 400, "corpId");
        assertError(s.post(P + "/members", map("userid", "x", "department", List.of(999))), 400, "999");
        assertError(s.post(P + "/members", map("userid", "x", "colour", "red")), 400, "colour");
        assertError(s.patch(P + "/members/nobody", map("name", "x")), 404, "nobody");
        assertError(s.post("/__sim/clock", map("advanceSeconds", -1)), 400, "advanceSeconds");
        assertError(s.post("/__sim/apps", map("appId", "wxa")), 400, "secret");
        s.app("wxdup", "s");
        assertError(s.post("/__sim/apps", map("appId", "wxdup", "secret", "s")), 409, "wxdup");
    }

    private static void assertError(SimHttp.Resp r, int status, String mention) {
        assertEquals(status, r.status(), r::text);
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        String error = r.json().get("error").asText();
        assertTrue(error.contains(mention), () -> "'" + error + "' should mention " + mention);
    }

    @Test
    void exportShape() {
        JsonNode e = s.export(CORP);
        assertEquals(6, e.get("departments").size());
        assertEquals(30, e.get("members").size());
        for (JsonNode m : e.get("members")) {
            for (String f : List.of("userid", "name", "mobile", "department", "status")) {
                assertTrue(m.has(f), "export member lacks " + f);
            }
        }
        assertEquals(CORP, s.get("/__sim/corps").json().get(0).asText());
    }

    @Test
    void clockGetAndAdvance() {
        JsonNode c = s.get("/__sim/clock").json();
        long offset = c.get("offsetSeconds").asLong();
        JsonNode after = s.post("/__sim/clock", map("advanceSeconds", 90)).json();
        assertEquals(offset + 90, after.get("offsetSeconds").asLong());
    }
}
