package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /__sim/stats and POST /__sim/stats/reset. */
class StatsTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    @BeforeEach
    void fresh() {
        s.corp("wwsa", 3, 10, 1, true);
        s.corp("wwsb", 3, 10, 2, true);
    }

    @Test
    void callsPerPathAndCorpAndErrorsPerCode() {
        String a = s.token("wwsa");
        String b = s.token("wwsb");
        for (int i = 0; i < 3; i++) {
            s.get("/cgi-bin/department/list?access_token=" + a).assertOk();
        }
        s.get("/cgi-bin/user/list?department_id=1&access_token=" + b).assertOk();
        s.get("/cgi-bin/user/list?department_id=1").assertErr(41001);
        s.get("/cgi-bin/user/list?department_id=1&access_token=junk").assertErr(40014);
        s.get("/cgi-bin/gettoken?corpid=wwsa&corpsecret=nope").assertErr(40001);
        JsonNode st = s.stats();
        assertEquals(3, st.at("/calls/~1cgi-bin~1department~1list/wwsa").asInt());
        assertEquals(1, st.at("/calls/~1cgi-bin~1user~1list/wwsb").asInt());
        assertEquals(2, st.at("/calls/~1cgi-bin~1gettoken/wwsa").asInt());
        assertEquals(1, st.at("/calls/~1cgi-bin~1gettoken/wwsb").asInt());
        assertEquals(1, st.at("/errors/41001").asInt());
        assertEquals(1, st.at("/errors/40014").asInt());
        assertEquals(1, st.at("/errors/40001").asInt());
        assertEquals(9, st.get("totalCalls").asInt());
    }

    @Test
    void peakDepartmentCallsPerSecondCountsOnlyDepartmentCalls() {
        String a = s.token("wwsa");
        String userid = s.export("wwsa").get("members").get(0).get("userid").asText();
        // a burst of 4 department calls and 3 other calls; repeated until one burst fell into one
        // clock second, as the statistics themselves tell
        int peak = 0;
        for (int attempt = 0; attempt < 20 && peak < 4; attempt++) {
            s.post("/__sim/stats/reset", "{}");
            for (int i = 0; i < 4; i++) {
                s.get("/cgi-bin/user/get?userid=" + userid + "&access_token=" + a)
                        .assertOk();
                s.get((i % 2 == 0 ? "/cgi-bin/department/simplelist?" : "/cgi-bin/user/simplelist?department_id=1&")
                                + "access_token=" + a)
                        .assertOk();
            }
            peak = s.stats().at("/peakDeptCallsPerSecond/wwsa").asInt();
            assertTrue(peak >= 1 && peak <= 4, "peak " + peak);
        }
        assertEquals(4, peak);
        assertTrue(s.stats().at("/peakCallsPerSecond/wwsa").asInt() >= 4);
    }

    @Test
    void slidingSecondPeakCountsCallsWithinAnyThousandMilliseconds() throws Exception {
        String a = s.token("wwsa");
        int sliding = 0;
        for (int attempt = 0; attempt < 20 && sliding < 3; attempt++) {
            s.post("/__sim/stats/reset", "{}");
            for (int i = 0; i < 3; i++) {
                s.get("/cgi-bin/department/list?access_token=" + a).assertOk();
            }
            JsonNode st = s.stats();
            sliding = st.at("/peakDeptCallsPerSlidingSecond/wwsa").asInt();
            assertTrue(
                    sliding >= st.at("/peakDeptCallsPerSecond/wwsa").asInt(),
                    "a clock second is one of the windows: " + st);
        }
        assertEquals(3, sliding);
        // more than a second apart on the simulator's clock, which the stats read: never in one window,
        // wherever the seconds start
        s.post("/__sim/stats/reset", "{}");
        for (int i = 0; i < 3; i++) {
            s.get("/cgi-bin/user/list?department_id=1&access_token=" + a).assertOk();
            s.advance(2);
        }
        assertEquals(1, s.stats().at("/peakDeptCallsPerSlidingSecond/wwsa").asInt());
    }

    @Test
    void tokensIssuedAndFetched() {
        s.token("wwsa");
        s.token("wwsa");
        s.limits("wecomSameTokenWithinValidity", true);
        s.token("wwsb");
        s.token("wwsb");
        s.app("wxstats", "sec");
        s.post("/cgi-bin/stable_token", map("grant_type", "client_credential", "appid", "wxstats", "secret", "sec"));
        s.post("/cgi-bin/stable_token", map("grant_type", "client_credential", "appid", "wxstats", "secret", "sec"));
        s.get("/cgi-bin/token?grant_type=client_credential&appid=wxstats&secret=sec");
        JsonNode st = s.stats();
        assertEquals(2, st.at("/tokensIssued/wwsa").asInt());
        assertEquals(2, st.at("/tokenFetches/wwsa").asInt());
        assertEquals(1, st.at("/tokensIssued/wwsb").asInt());
        assertEquals(2, st.at("/tokenFetches/wwsb").asInt());
        assertEquals(1, st.at("/tokensIssued/wxstats~1stable").asInt());
        assertEquals(2, st.at("/tokenFetches/wxstats~1stable").asInt());
        assertEquals(1, st.at("/tokensIssued/wxstats~1classic").asInt());
    }

    @Test
    void peakConcurrency() throws Exception {
        String a = s.token("wwsa");
        s.fault("path", "/cgi-bin/department/list", "latencyMs", 1500, "count", 3);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(CompletableFuture.supplyAsync(
                    () -> s.get("/cgi-bin/department/list?access_token=" + a).errcode(), pool));
        }
        for (CompletableFuture<Integer> c : calls) {
            assertEquals(0, c.get());
        }
        pool.shutdown();
        JsonNode st = s.stats();
        // the three calls overlap: each was held 1.5 s and all were sent at once
        assertEquals(3, st.get("peakConcurrency").asInt());
        assertEquals(3, st.at("/peakConcurrencyByCorp/wwsa").asInt());
        assertEquals(3, st.at("/peakDeptConcurrency/wwsa").asInt());
    }

    @Test
    void resetClearsCounts() {
        String a = s.token("wwsa");
        s.get("/cgi-bin/department/list?access_token=" + a).assertOk();
        s.get("/cgi-bin/department/list").assertErr(41001);
        JsonNode after = s.post("/__sim/stats/reset", "{}").json();
        assertEquals(0, after.get("totalCalls").asInt());
        assertEquals(0, after.get("calls").size());
        assertEquals(0, after.get("errors").size());
        assertEquals(0, after.get("tokensIssued").size());
        assertEquals(0, after.get("peakDeptCallsPerSecond").size());
        // the token still works: only the statistics were reset
        s.get("/cgi-bin/department/list?access_token=" + a).assertOk();
        assertEquals(1, s.stats().get("totalCalls").asInt());
    }
}
