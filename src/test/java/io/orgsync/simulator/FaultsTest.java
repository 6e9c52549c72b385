package io.orgsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Injected faults: errcodes, HTTP statuses, latency, dropped connections. */
class FaultsTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    String a;
    String b;

    @BeforeEach
    void fresh() {
        s.corp("wwfa", 3, 10, 1, true);
        s.corp("wwfb", 3, 10, 2, true);
        a = s.token("wwfa");
        b = s.token("wwfb");
    }

    private SimHttp.Resp list(String token) {
        return s.get("/cgi-bin/department/list?access_token=" + token);
    }

    private SimHttp.Resp users(String token) {
        return s.get("/cgi-bin/user/list?department_id=1&access_token=" + token);
    }

    @Test
    void errcodeByPath() {
        s.fault("path", "/cgi-bin/user/list", "errcode", -1);
        SimHttp.Resp r = users(a).assertWecomErr(-1);
        assertEquals(0, r.json().get("userlist").size());
        users(b).assertWecomErr(-1);
        list(a).assertOk();
    }

    @Test
    void errcodeByCorp() {
        s.fault("corpId", "wwfb", "errcode", 60020);
        list(a).assertOk();
        list(b).assertWecomErr(60020);
        users(b).assertWecomErr(60020);
        // gettoken is matched by its corpid parameter
        s.get("/cgi-bin/gettoken?corpid=wwfb&corpsecret=s-wwfb").assertWecomErr(60020);
    }

    @Test
    void rateHalfAppliesToEverySecondCall() {
        s.fault("path", "/cgi-bin/department/list", "errcode", -1, "rate", 0.5);
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            codes.add(list(a).errcode());
        }
        assertEquals(List.of(0, -1, 0, -1, 0, -1, 0, -1), codes);
    }

    @Test
    void countStopsAfterN() {
        s.fault("path", "/cgi-bin/department/list", "errcode", 45033, "count", 2);
        list(a).assertWecomErr(45033);
        list(a).assertWecomErr(45033);
        list(a).assertOk();
        list(a).assertOk();
        JsonNode faults = s.get("/__sim/faults").json();
        assertEquals(2, faults.get(0).get("applied").asInt());
    }

    @Test
    void httpStatus502() {
        s.fault("path", "/cgi-bin/department/list", "httpStatus", 502, "count", 1);
        SimHttp.Resp r = list(a);
        assertEquals(502, r.status());
        assertTrue(r.contentType().startsWith("text/html"));
        list(a).assertOk();
    }

    @Test
    void latency() {
        s.fault("path", "/cgi-bin/department/list", "latencyMs", 300, "count", 1);
        long start = System.nanoTime();
        list(a).assertOk();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        // a lower bound only: the call was held at least as long as asked
        assertTrue(tookMs >= 300, "took " + tookMs + " ms");
    }

    @Test
    void aReleaseLetsTheHeldCallsGoAtOnce() throws Exception {
        s.fault("path", "/cgi-bin/department/list", "latencyMs", 60_000, "count", 1);
        long start = System.nanoTime();
        CompletableFuture<SimHttp.Resp> held = CompletableFuture.supplyAsync(() -> list(a));
        JsonNode released = null;
        while (released == null || released.path("released").asInt() == 0) {
            assertTrue(System.nanoTime() - start < 30_000_000_000L, "the call was never held");
            Thread.sleep(20);
            released = s.post("/__sim/faults/release", "{}").json();
        }
        held.get(30, TimeUnit.SECONDS).assertOk();
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "let go long before its minute");
        // the fault stays (its count is spent), and a call after the release is not held
        assertEquals(1, s.get("/__sim/faults").json().size());
        list(a).assertOk();
        assertEquals(
                0, s.post("/__sim/faults/release", "{}").json().path("released").asInt());
    }

    @Test
    void dropConnection() {
        // POST: the JDK client silently retries a GET once when a pooled connection closes
        s.fault("path", "/cgi-bin/user/getuserid", "dropConnection", true, "count", 1);
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> s.post("/cgi-bin/user/getuserid?access_token=" + a, SimHttp.map("mobile", "13800000000")));
        assertTrue(e.getCause() instanceof IOException);
        s.post("/cgi-bin/user/getuserid?access_token=" + a, SimHttp.map("mobile", "13800000000"))
                .assertWecomErr(46004);
    }

    @Test
    void dropConnectionOnAGet() {
        // without a count every attempt is dropped, the client's own retry included
        s.fault("path", "/cgi-bin/user/list", "dropConnection", true);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> users(a));
        assertTrue(e.getCause() instanceof IOException);
        assertEquals(200, s.delete("/__sim/faults").status());
        users(a).assertOk();
    }

    @Test
    void faultsOnTheMiniProgramApi() {
        s.app("wxfault", "sec");
        String t = s.get("/cgi-bin/token?grant_type=client_credential&appid=wxfault&secret=sec")
                .json()
                .get("access_token")
                .asText();
        s.fault("appId", "wxfault", "errcode", -1, "count", 1);
        s.post("/wxa/getwxacodeunlimit?access_token=" + t, SimHttp.map("scene", "a"))
                .assertErr(-1);
        assertEquals(
                "image/jpeg",
                s.post("/wxa/getwxacodeunlimit?access_token=" + t, SimHttp.map("scene", "a"))
                        .contentType());
    }

    @Test
    void deleteClearsFaults() {
        s.fault("errcode", -1);
        list(a).assertWecomErr(-1);
        assertEquals(200, s.delete("/__sim/faults").status());
        assertEquals(0, s.get("/__sim/faults").json().size());
        list(a).assertOk();
    }

    @Test
    void badFaultsAreRefused() {
        SimHttp.Resp r = s.post("/__sim/faults", SimHttp.map("path", "/x", "bogus", 1));
        assertEquals(400, r.status());
        assertTrue(r.json().get("error").asText().contains("bogus"));
        assertEquals(
                400,
                s.post("/__sim/faults", SimHttp.map("path", "/cgi-bin/user/list"))
                        .status());
        assertEquals(
                400,
                s.post("/__sim/faults", SimHttp.map("errcode", -1, "rate", 1.5)).status());
        assertEquals(400, s.post("/__sim/faults", SimHttp.map("httpStatus", 99)).status());
        assertEquals(400, s.post("/__sim/faults", "nope").status());
    }
}
