package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaCodeLineColor;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;
import me.chanjar.weixin.cp.bean.WxCpDepart;
import me.chanjar.weixin.cp.bean.WxCpUser;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WxJava SDK (weixin-java-cp and weixin-java-miniapp), pointed at the simulator, reads what
 * the simulator's export says: if the SDK cannot read an answer, the simulator is wrong.
 */
class WxJavaConformanceTest {
    static SimHttp s;
    static final String CORP = "wwsdk";
    static final String APP = "wxsdk";
    static JsonNode truth;
    static WxCpService cp;

    @BeforeAll
    static void start() {
        s = new SimHttp();
        s.corp(CORP, 12, 120, 2024, true);
        s.app(APP, "appsecret");
        truth = s.export(CORP);
        WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
        config.setCorpId(CORP);
        config.setCorpSecret("s-" + CORP);
        config.setAgentId(1000002);
        config.setBaseApiUrl(s.base);
        cp = new WxCpServiceImpl();
        cp.setWxCpConfigStorage(config);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static Map<Long, JsonNode> truthDepartments() {
        Map<Long, JsonNode> out = new HashMap<>();
        truth.get("departments").forEach(d -> out.put(d.get("id").asLong(), d));
        return out;
    }

    private static Map<String, JsonNode> truthMembersOf(long dept) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode m : truth.get("members")) {
            m.get("department").forEach(d -> {
                if (d.asLong() == dept) {
                    out.put(m.get("userid").asText(), m);
                }
            });
        }
        return out;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    @Test
    void departmentList() throws WxErrorException {
        List<WxCpDepart> departs = cp.getDepartmentService().list(null);
        Map<Long, JsonNode> want = truthDepartments();
        assertEquals(want.size(), departs.size());
        for (WxCpDepart d : departs) {
            JsonNode t = want.get(d.getId());
            assertNotNull(t, "unknown department " + d.getId());
            assertEquals(t.get("name").asText(), d.getName());
            assertEquals(t.get("name_en").asText(), d.getEnName());
            assertEquals(t.get("parentid").asLong(), d.getParentId());
            assertEquals(t.get("order").asLong(), d.getOrder());
            assertNotNull(d.getDepartmentLeader());
        }
        WxCpDepart one = cp.getDepartmentService().get(3L);
        assertEquals(want.get(3L).get("name").asText(), one.getName());
        assertEquals(want.size(), cp.getDepartmentService().simpleList(null).size());
    }

    @Test
    void membersPerDepartment() throws WxErrorException {
        int rows = 0;
        for (JsonNode d : truth.get("departments")) {
            long id = d.get("id").asLong();
            Map<String, JsonNode> want = truthMembersOf(id);
            List<WxCpUser> users = cp.getUserService().listByDepartment(id, false, 0);
            assertEquals(want.size(), users.size(), "members of " + id);
            for (WxCpUser u : users) {
                JsonNode t = want.get(u.getUserId());
                assertNotNull(t, "unexpected " + u.getUserId() + " in " + id);
                assertEquals(t.get("name").asText(), u.getName());
                assertEquals(t.get("mobile").asText(), u.getMobile());
                assertEquals(t.get("email").asText(), u.getEmail());
                assertEquals(t.get("position").asText(), u.getPosition());
                assertEquals(t.get("status").asInt(), u.getStatus());
                assertEquals(longs(t.get("department")), Arrays.asList(u.getDepartIds()));
                assertEquals(ints(t.get("order")), Arrays.asList(u.getOrders()));
                assertEquals(ints(t.get("is_leader_in_dept")), Arrays.asList(u.getIsLeaderInDept()));
                assertEquals(t.get("main_department").asText(), u.getMainDepartment());
                assertEquals(t.get("gender").asText(), u.getGender().getCode());
            }
            List<WxCpUser> simple = cp.getUserService().listSimpleByDepartment(id, false, 0);
            assertEquals(
                    want.keySet(),
                    simple.stream().map(WxCpUser::getUserId).collect(java.util.stream.Collectors.toSet()));
            for (WxCpUser u : simple) {
                assertEquals(want.get(u.getUserId()).get("name").asText(), u.getName());
                assertEquals(longs(want.get(u.getUserId()).get("department")), Arrays.asList(u.getDepartIds()));
            }
            rows += users.size();
        }
        assertTrue(rows > truth.get("members").size(), "some members are listed in several departments");
    }

    @Test
    void memberGetAndGetUserId() throws WxErrorException {
        for (int i = 0; i < truth.get("members").size(); i += 17) {
            JsonNode t = truth.get("members").get(i);
            String userid = t.get("userid").asText();
            assertEquals(userid, cp.getUserService().getUserId(t.get("mobile").asText()));
            WxCpUser u = cp.getUserService().getById(userid);
            assertEquals(userid, u.getUserId());
            assertEquals(t.get("name").asText(), u.getName());
            assertEquals(t.get("mobile").asText(), u.getMobile());
            assertEquals(t.get("status").asInt(), u.getStatus());
            assertEquals(longs(t.get("department")), Arrays.asList(u.getDepartIds()));
        }
        WxErrorException notFound =
                assertThrows(WxErrorException.class, () -> cp.getUserService().getUserId("13000000000"));
        assertEquals(46004, notFound.getError().getErrorCode());
        WxErrorException noUser =
                assertThrows(WxErrorException.class, () -> cp.getUserService().getById("nobody"));
        assertEquals(60111, noUser.getError().getErrorCode());
    }

    @Test
    void sdkRecoversFromAnInvalidatedToken() throws WxErrorException {
        cp.getDepartmentService().list(null);
        assertEquals(
                200, s.post("/__sim/tokens/invalidate", map("corpId", CORP)).status());
        // WxJava drops the token on 40014, fetches a new one and retries
        assertEquals(
                truth.get("departments").size(),
                cp.getDepartmentService().list(null).size());
    }

    private static WxMaService miniapp(boolean stable) {
        WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
        config.setAppid(APP);
        config.setSecret("appsecret");
        config.setApiHostUrl(s.base);
        config.useStableAccessToken(stable);
        WxMaService ma = new WxMaServiceImpl();
        ma.setWxMaConfig(config);
        return ma;
    }

    @ParameterizedTest(name = "stable token {0}")
    @ValueSource(booleans = {false, true})
    void wxacodeBytesAreTheSimulatorsImage(boolean stable) throws Exception {
        WxMaService ma = miniapp(stable);
        WxMaCodeLineColor black = new WxMaCodeLineColor("0", "0", "0");
        byte[] bytes = ma.getQrcodeService()
                .createWxaCodeUnlimitBytes("order=77", "pages/index/index", true, "release", 430, false, black, false);
        assertNotNull(ImageIO.read(new ByteArrayInputStream(bytes)));
        // the same code fetched over plain HTTP with a token of the same kind
        String token = ma.getAccessToken();
        SimHttp.Resp direct = s.post(
                "/wxa/getwxacodeunlimit?access_token=" + token,
                map(
                        "scene",
                        "order=77",
                        "page",
                        "pages/index/index",
                        "check_path",
                        true,
                        "env_version",
                        "release",
                        "width",
                        430));
        assertEquals("image/jpeg", direct.contentType());
        assertArrayEquals(direct.bytes(), bytes);
        String key = APP + (stable ? "/stable" : "/classic");
        assertTrue(
                s.stats().at("/tokensIssued/" + key.replace("/", "~1")).asInt() >= 1,
                "the SDK used the " + key + " token");

        WxErrorException tooLong = assertThrows(
                WxErrorException.class,
                () -> ma.getQrcodeService()
                        .createWxaCodeUnlimitBytes("x".repeat(33), null, false, "release", 430, false, black, false));
        assertEquals(40169, tooLong.getError().getErrorCode());
        WxErrorException badPage = assertThrows(
                WxErrorException.class,
                () -> ma.getQrcodeService()
                        .createWxaCodeUnlimitBytes("a", "pages/none/none", true, "release", 430, false, black, false));
        assertEquals(41030, badPage.getError().getErrorCode());
    }

    @ParameterizedTest(name = "stable token {0}")
    @ValueSource(booleans = {false, true})
    void miniappSdkRecoversFromAnInvalidatedToken(boolean stable) throws Exception {
        WxMaService ma = miniapp(stable);
        WxMaCodeLineColor black = new WxMaCodeLineColor("0", "0", "0");
        ma.getQrcodeService().createWxaCodeUnlimitBytes("a=1", null, false, "release", 430, false, black, false);
        if (stable) {
            s.advance(31); // force_refresh is refused within 30 s of the previous one
        }
        assertEquals(200, s.post("/__sim/tokens/invalidate", map("appId", APP)).status());
        byte[] bytes = ma.getQrcodeService()
                .createWxaCodeUnlimitBytes("a=1", null, false, "release", 430, false, black, false);
        assertNotNull(ImageIO.read(new ByteArrayInputStream(bytes)));
    }
}
