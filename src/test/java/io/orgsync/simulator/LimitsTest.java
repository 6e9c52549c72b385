package io.orgsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Call limits. Windows follow the simulator's clock, which tests move forward; a test that
 * needs all its calls inside one second first moves the clock to the start of a second.
 */
class LimitsTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    static final String CORP = "wwlimits";
    String token;

    @BeforeEach
    void fresh() {
        s.corp(CORP, 4, 20, 5, true);
        token = s.token(CORP);
    }

    private SimHttp.Resp deptList() {
        return s.get("/cgi-bin/department/list?access_token=" + token);
    }

    @Test
    void departmentCallsPerSecond() {
        s.limits("deptCallsPerSecond", 3);
        // Repeat until one burst of 4 calls fell into one clock second: the 4th is 45009 then.
        // The simulator's own statistics tell how many calls each second had.
        boolean refused = false;
        for (int attempt = 0; attempt < 20 && !refused; attempt++) {
            s.advance(1); // a new second: the window is empty
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                codes.add(
                        i % 2 == 0
                                ? deptList().errcode()
                                : s.get("/cgi-bin/user/list?department_id=1&access_token=" + token)
                                        .errcode());
            }
            long ok = codes.stream().filter(c -> c == 0).count();
            assertTrue(codes.stream().allMatch(c -> c == 0 || c == 45009), codes::toString);
            assertTrue(ok >= 3, "at most one call refused in a burst of four: " + codes);
            refused = codes.get(3) == 45009;
        }
        assertTrue(refused, "four department calls in one second: the fourth must be refused");
        assertTrue(s.stats().get("errors").get("45009").asInt() >= 1);
        // non-department APIs are not counted
        String userid = s.export(CORP).get("members").get(0).get("userid").asText();
        s.get("/cgi-bin/user/get?userid=" + userid + "&access_token=" + token).assertOk();
        // and the limit is per enterprise
        s.corp("wwlimits2", 2, 5, 1, true);
        s.get("/cgi-bin/department/list?access_token=" + s.token("wwlimits2")).assertOk();
    }

    @Test
    void perMinuteLimitBlocksForSixtySeconds() {
        s.limits("perMinute", 5);
        toStartOfMinute();
        for (int i = 0; i < 5; i++) {
            deptList().assertOk();
        }
        deptList().assertWecomErr(45009);
        // the block lasts 60 s from the refusal, beyond the minute's window
        s.advance(59);
        deptList().assertWecomErr(45009);
        s.advance(2);
        deptList().assertOk();
        assertEquals(2, s.stats().get("errors").get("45009").asInt());
    }

    @Test
    void perMinuteLimitIsPerApi() {
        s.limits("perMinute", 2);
        toStartOfMinute();
        deptList().assertOk();
        deptList().assertOk();
        deptList().assertWecomErr(45009);
        s.get("/cgi-bin/department/simplelist?access_token=" + token).assertOk();
    }

    /** Moves the clock to second 1 of a minute: the next calls all fall in one minute window. */
    private void toStartOfMinute() {
        String now = s.get("/__sim/clock").json().get("now").asText();
        s.advance(61 - java.time.Instant.parse(now).getEpochSecond() % 60);
    }

    @Test
    void perIpMinuteLimitCountsAcrossEnterprises() {
        s.corp("wwlimits2", 2, 5, 1, true);
        String other = s.token("wwlimits2");
        s.limits("ipPerMinute", 3);
        toStartOfMinute();
        deptList().assertOk();
        s.get("/cgi-bin/department/list?access_token=" + other).assertOk();
        deptList().assertOk();
        s.get("/cgi-bin/department/list?access_token=" + other).assertWecomErr(45009);
        deptList().assertWecomErr(45009);
        // another API from the same IP has its own count
        s.get("/cgi-bin/department/simplelist?access_token=" + other).assertOk();
    }

    @Test
    void tooManyConcurrentCallsAnswer45033() throws Exception {
        s.limits("maxConcurrent", 2);
        // the first three calls are held for a while; the third is over the cap
        s.fault("path", "/cgi-bin/department/list", "latencyMs", 1500, "count", 3);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> deptList().errcode(), pool));
            }
            // wait until the simulator holds three calls in flight (its own statistics say so)
            waitForConcurrency(3);
            int late = deptList().errcode();
            List<Integer> codes = new ArrayList<>();
            for (CompletableFuture<Integer> c : calls) {
                codes.add(c.get());
            }
            codes.add(late);
            assertEquals(2, codes.stream().filter(c -> c == 0).count(), codes::toString);
            assertEquals(2, codes.stream().filter(c -> c == 45033).count(), codes::toString);
        } finally {
            pool.shutdownNow();
        }
        deptList().assertOk();
        assertTrue(s.stats().get("peakConcurrency").asInt() >= 4);
    }

    private void waitForConcurrency(int n) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (s.stats().get("peakConcurrency").asInt() >= n) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the simulator never had " + n + " calls in flight");
    }

    @Test
    void limitsCanBeReadAndReset() {
        s.limits("deptCallsPerSecond", 7, "perMinute", 100);
        JsonNode l = s.get("/__sim/limits").json();
        assertEquals(7, l.get("deptCallsPerSecond").asInt());
        assertEquals(100, l.get("perMinute").asInt());
        JsonNode d = s.delete("/__sim/limits").json();
        assertEquals(0, d.get("deptCallsPerSecond").asInt());
        assertEquals(10000, d.get("perMinute").asInt());
        assertEquals(0.2, d.get("getuseridFailureRatio").asDouble());
    }

    @Test
    void badLimitInputIsRefusedWhole() {
        SimHttp.Resp r = s.put("/__sim/limits", SimHttp.map("perMinute", 3, "noSuchLimit", 1));
        assertEquals(400, r.status());
        assertTrue(r.json().get("error").asText().contains("noSuchLimit"));
        assertEquals(10000, s.get("/__sim/limits").json().get("perMinute").asInt(), "nothing applied");
        assertEquals(400, s.put("/__sim/limits", SimHttp.map("perMinute", -1)).status());
        assertEquals(
                400,
                s.put("/__sim/limits", SimHttp.map("getuseridFailureRatio", 2)).status());
        assertEquals(
                400,
                s.send(HttpRequest.newBuilder(URI.create(s.base + "/__sim/limits"))
                                .PUT(HttpRequest.BodyPublishers.ofString("perMinute=3")))
                        .status());
    }
}
