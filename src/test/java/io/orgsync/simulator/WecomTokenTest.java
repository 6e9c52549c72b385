package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WeCom gettoken and what happens to calls with a missing, wrong, expired or revoked token. */
class WecomTokenTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    @BeforeEach
    void fresh() {
        s.corp("wwtok", 3, 10, 1, true);
    }

    @Test
    void gettokenAnswersTokenAndSevenTwoHundredSeconds() {
        SimHttp.Resp r =
                s.get("/cgi-bin/gettoken?corpid=wwtok&corpsecret=s-wwtok").assertOk();
        String token = r.json().get("access_token").asText();
        assertFalse(token.isEmpty());
        assertTrue(token.getBytes().length <= 512, "WeCom tokens are at most 512 bytes");
        assertEquals(7200, r.json().get("expires_in").asInt());
        assertTrue(r.contentType().startsWith("application/json"));
    }

    @Test
    void gettokenInputErrors() {
        s.get("/cgi-bin/gettoken?corpsecret=s-wwtok").assertWecomErr(41002);
        s.get("/cgi-bin/gettoken?corpid=wwtok").assertWecomErr(41004);
        s.get("/cgi-bin/gettoken?corpid=nosuchcorp&corpsecret=s-wwtok").assertWecomErr(40013);
        s.get("/cgi-bin/gettoken?corpid=wwtok&corpsecret=wrong").assertWecomErr(40001);
    }

    @Test
    void repeatedWrongSecretsBanTheIp() {
        s.limits("badSecretPerHour", 3);
        for (int i = 0; i < 3; i++) {
            s.get("/cgi-bin/gettoken?corpid=wwtok&corpsecret=wrong").assertWecomErr(40001);
        }
        // banned now: even the right secret, and every other API from this IP, answer 45009
        s.get("/cgi-bin/gettoken?corpid=wwtok&corpsecret=wrong").assertWecomErr(45009);
        s.get("/cgi-bin/gettoken?corpid=wwtok&corpsecret=s-wwtok").assertWecomErr(45009);
        s.advance(3601);
        s.get("/cgi-bin/gettoken?corpid=wwtok&corpsecret=s-wwtok").assertOk();
    }

    @Test
    void manyCallsWithAnInvalidTokenBanTheIpForAnHour() {
        s.limits("invalidTokenPerHour", 3);
        for (int i = 0; i < 3; i++) {
            s.get("/cgi-bin/department/list?access_token=bogus").assertWecomErr(40014);
        }
        // banned: every call from this IP, gettoken included, answers 45009 for an hour
        s.get("/cgi-bin/gettoken?corpid=wwtok&corpsecret=s-wwtok").assertWecomErr(45009);
        s.advance(3601);
        String token = s.token("wwtok");
        s.get("/cgi-bin/department/list?access_token=" + token).assertOk();
    }

    @Test
    void errorsAreHttp200WithTheHelpSuffixAndListFields() {
        SimHttp.Resp r = s.get("/cgi-bin/user/list?department_id=1").assertWecomErr(41001);
        assertTrue(r.json().get("userlist").isArray());
        assertEquals(0, r.json().get("userlist").size(), "error bodies of user/list carry an empty userlist");
        assertTrue(r.json()
                .get("errmsg")
                .asText()
                .endsWith("more info at https://open.work.weixin.qq.com/devtool/query?e=41001"));
        assertTrue(r.json().get("errmsg").asText().contains("from ip: 127.0.0.1"));
    }

    @Test
    void missingInvalidAndExpiredTokens() {
        s.get("/cgi-bin/department/list").assertWecomErr(41001);
        s.get("/cgi-bin/department/list?access_token=").assertWecomErr(41001);
        s.get("/cgi-bin/department/list?access_token=not-a-token").assertWecomErr(40014);
        String token = s.token("wwtok");
        s.get("/cgi-bin/department/list?access_token=" + token).assertOk();
        s.advance(7199);
        s.get("/cgi-bin/department/list?access_token=" + token).assertOk();
        s.advance(1);
        s.get("/cgi-bin/department/list?access_token=" + token).assertWecomErr(42001);
        s.get("/cgi-bin/user/list?department_id=1&access_token=" + token).assertWecomErr(42001);
    }

    @Test
    void invalidateRevokesEveryLiveToken() {
        String a = s.token("wwtok");
        String b = s.token("wwtok");
        SimHttp.Resp r = s.post("/__sim/tokens/invalidate", map("corpId", "wwtok"));
        assertEquals(200, r.status(), r::text);
        s.get("/cgi-bin/department/list?access_token=" + a).assertWecomErr(40014);
        s.get("/cgi-bin/department/list?access_token=" + b).assertWecomErr(40014);
        String c = s.token("wwtok");
        assertNotEquals(a, c);
        s.get("/cgi-bin/department/list?access_token=" + c).assertOk();
    }

    @Test
    void aSecretResetInTheConsoleRefusesTheOldSecretAndKeepsIssuedTokens() {
        String issued = s.token("wwtok");
        assertEquals(
                200, s.patch("/__sim/corps/wwtok", map("secret", "s-wwtok-new")).status());
        s.get("/cgi-bin/gettoken?corpid=wwtok&corpsecret=s-wwtok").assertWecomErr(40001);
        s.get("/cgi-bin/department/list?access_token=" + issued).assertOk();
        s.get("/cgi-bin/gettoken?corpid=wwtok&corpsecret=s-wwtok-new").assertOk();
        assertEquals(400, s.patch("/__sim/corps/wwtok", map("name", "x")).status(), "only the secret can change");
        assertEquals(404, s.patch("/__sim/corps/nosuch", map("secret", "x")).status());
    }

    @Test
    void gettokenMayHandOutTheSameTokenWhenConfigured() {
        String a = s.token("wwtok");
        assertNotEquals(a, s.token("wwtok"), "by default every gettoken issues a new token");
        s.limits("wecomSameTokenWithinValidity", true);
        String b = s.token("wwtok");
        assertEquals(b, s.token("wwtok"));
        SimHttp.Resp again =
                s.get("/cgi-bin/gettoken?corpid=wwtok&corpsecret=s-wwtok").assertOk();
        assertTrue(again.json().get("expires_in").asInt() <= 7200);
    }

    @Test
    void aTokenOfAnotherCorpOrADeletedCorpDoesNotWork() {
        String token = s.token("wwtok");
        assertEquals(200, s.delete("/__sim/corps/wwtok").status());
        s.get("/cgi-bin/department/list?access_token=" + token).assertWecomErr(40014);
        s.corp("wwtok", 3, 10, 1, true);
        s.get("/cgi-bin/department/list?access_token=" + token).assertWecomErr(40014);
        s.corp("wwtok2", 3, 10, 1, true);
        String other = s.token("wwtok2");
        s.get("/cgi-bin/department/list?access_token=" + other).assertOk();
    }

    @Test
    void resetForgetsTokens() {
        String token = s.token("wwtok");
        s.reset();
        s.corp("wwtok", 3, 10, 1, true);
        s.get("/cgi-bin/department/list?access_token=" + token).assertWecomErr(40014);
    }
}
