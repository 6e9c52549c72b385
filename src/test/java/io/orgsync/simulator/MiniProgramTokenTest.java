package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Mini-program tokens: classic rotation with its 5-minute overlap, and the stable token. */
class MiniProgramTokenTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    static final String APP = "wxapp1";
    static final String NOT_LATEST = "invalid credential, access_token is invalid or not latest";

    @BeforeEach
    void fresh() {
        s.app(APP, "appsecret");
    }

    private JsonNode classic() {
        SimHttp.Resp r = s.get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=appsecret");
        assertEquals(200, r.status());
        assertFalse(r.json().has("errcode") && r.json().get("errcode").asInt() != 0, r::text);
        return r.json();
    }

    private SimHttp.Resp stableResp(boolean force) {
        return s.post(
                "/cgi-bin/stable_token",
                map("grant_type", "client_credential", "appid", APP, "secret", "appsecret", "force_refresh", force));
    }

    private JsonNode stable(boolean force) {
        SimHttp.Resp r = stableResp(force);
        assertEquals(200, r.status());
        assertTrue(r.json().has("access_token"), r::text);
        return r.json();
    }

    /** Calls the code API with the token: errcode, or 0 for an image. */
    private int use(String token) {
        SimHttp.Resp r =
                s.post("/wxa/getwxacodeunlimit?access_token=" + token, map("scene", "a=1", "check_path", false));
        if (r.contentType().startsWith("image/jpeg")) {
            return 0;
        }
        return r.errcode();
    }

    @Test
    void classicTokenShape() {
        JsonNode t = classic();
        assertEquals(7200, t.get("expires_in").asInt());
        assertFalse(t.get("access_token").asText().isEmpty());
        assertEquals(0, use(t.get("access_token").asText()));
    }

    @Test
    void classicSecondFetchKeepsTheFirstForFiveMinutes() {
        String first = classic().get("access_token").asText();
        String second = classic().get("access_token").asText();
        assertNotEquals(first, second);
        s.advance(299);
        assertEquals(0, use(first));
        assertEquals(0, use(second));
        s.advance(2);
        SimHttp.Resp r = s.post("/wxa/getwxacodeunlimit?access_token=" + first, map("scene", "a=1"));
        r.assertErr(40001);
        assertTrue(r.contentType().startsWith("application/json"));
        assertTrue(r.json().get("errmsg").asText().startsWith(NOT_LATEST), r::text);
        assertEquals(0, use(second));
    }

    @Test
    void classicTokenExpiresAfterTwoHours() {
        String t = classic().get("access_token").asText();
        s.advance(7200);
        assertEquals(42001, use(t));
    }

    @Test
    void classicTokenErrors() {
        s.get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=bad")
                .assertErr(40125);
        s.get("/cgi-bin/token?grant_type=client_credential&appid=nosuch&secret=appsecret")
                .assertErr(40013);
        s.get("/cgi-bin/token?grant_type=other&appid=" + APP + "&secret=appsecret")
                .assertErr(40002);
        assertEquals(40001, use("garbage"));
        SimHttp.Resp missing =
                s.post("/wxa/getwxacodeunlimit", map("scene", "a=1")).assertErr(41001);
        assertTrue(missing.contentType().startsWith("application/json"));
    }

    @Test
    void classicDailyQuota() {
        s.limits("classicTokensPerDay", 2);
        classic();
        classic();
        s.get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=appsecret")
                .assertErr(45009);
    }

    @Test
    void stableTokenIsTheSameWithinItsValidity() {
        JsonNode a = stable(false);
        assertEquals(7200, a.get("expires_in").asInt());
        s.advance(3600);
        JsonNode b = stable(false);
        assertEquals(a.get("access_token").asText(), b.get("access_token").asText());
        assertTrue(b.get("expires_in").asInt() >= 300);
        assertTrue(b.get("expires_in").asInt() <= 3600);
    }

    @Test
    void stableTokenRotatesInItsLastFiveMinutesWithOverlap() {
        String a = stable(false).get("access_token").asText();
        s.advance(7200 - 301);
        JsonNode still = stable(false);
        assertEquals(a, still.get("access_token").asText());
        assertTrue(still.get("expires_in").asInt() >= 300);
        s.advance(2); // now inside the last 5 minutes of a
        JsonNode b = stable(false);
        assertNotEquals(a, b.get("access_token").asText());
        assertEquals(7200, b.get("expires_in").asInt());
        assertEquals(0, use(a), "the old stable token still works during the overlap");
        assertEquals(0, use(b.get("access_token").asText()));
        s.advance(300);
        assertEquals(42001, use(a));
        assertEquals(0, use(b.get("access_token").asText()));
    }

    @Test
    void stableExpiresInIsNeverBelowThreeHundred() {
        stable(false);
        for (int i = 0; i < 30; i++) {
            s.advance(250);
            int left = stable(false).get("expires_in").asInt();
            assertTrue(left >= 300 && left <= 7200, "expires_in " + left);
        }
    }

    @Test
    void forceRefreshReplacesTheTokenAndIsRefusedWithinThirtySeconds() {
        String a = stable(false).get("access_token").asText();
        String b = stable(true).get("access_token").asText();
        assertNotEquals(a, b);
        assertEquals(40001, use(a), "force_refresh kills the old stable token");
        assertEquals(0, use(b));
        s.advance(10);
        stableResp(true).assertErr(45009);
        assertEquals(b, stable(false).get("access_token").asText());
        s.advance(21);
        String c = stable(true).get("access_token").asText();
        assertNotEquals(b, c);
        assertEquals(40001, use(b));
    }

    @Test
    void forceRefreshIsAllowedTwentyTimesADay() {
        stable(false);
        for (int i = 0; i < 20; i++) {
            stable(true);
            s.advance(31);
        }
        stableResp(true).assertErr(45009);
        stable(false); // the plain fetch still works
    }

    @Test
    void forceRefreshKillsBothStableTokensOfAnOverlap() {
        String a = stable(false).get("access_token").asText();
        s.advance(7200 - 200);
        String b = stable(false).get("access_token").asText();
        assertNotEquals(a, b);
        String c = stable(true).get("access_token").asText();
        assertEquals(40001, use(a));
        assertEquals(40001, use(b));
        assertEquals(0, use(c));
    }

    @Test
    void classicAndStableAreIndependent() {
        String st = stable(false).get("access_token").asText();
        String c1 = classic().get("access_token").asText();
        classic();
        classic();
        s.advance(301);
        assertEquals(0, use(st), "classic fetches do not touch the stable token");
        assertEquals(40001, use(c1));
        String c4 = classic().get("access_token").asText();
        stable(true);
        assertEquals(0, use(c4), "a stable force_refresh does not touch classic tokens");
    }

    @Test
    void invalidateAppKillsClassicAndStable() {
        String st = stable(false).get("access_token").asText();
        String cl = classic().get("access_token").asText();
        SimHttp.Resp r = s.post("/__sim/tokens/invalidate", map("appId", APP));
        assertEquals(200, r.status(), r::text);
        assertEquals(40001, use(st));
        assertEquals(40001, use(cl));
        // a fresh stable fetch replaces the dead one
        String again = stable(false).get("access_token").asText();
        assertNotEquals(st, again);
        assertEquals(0, use(again));
    }

    @Test
    void stableTokenCanBeHandedBackAfterInvalidationUntilAForcedRefresh() {
        s.limits("stableHandsBackInvalidated", true);
        String st = stable(false).get("access_token").asText();
        assertEquals(200, s.post("/__sim/tokens/invalidate", map("appId", APP)).status());
        assertEquals(40001, use(st));
        assertEquals(st, stable(false).get("access_token").asText(), "the platform hands back the token it rejects");
        assertEquals(40001, use(st));
        String forced = stable(true).get("access_token").asText();
        assertNotEquals(st, forced);
        assertEquals(0, use(forced));
        assertEquals(forced, stable(false).get("access_token").asText());
        assertEquals(1, s.stats().at("/forcedRefreshes/" + APP).asInt());
    }

    @Test
    void stableTokenErrors() {
        s.post("/cgi-bin/stable_token", "nope").assertErr(47001);
        s.post("/cgi-bin/stable_token", map("grant_type", "client_credential", "appid", APP, "secret", "x"))
                .assertErr(40125);
        s.post("/cgi-bin/stable_token", map("grant_type", "client_credential", "appid", APP))
                .assertErr(41004);
    }
}
