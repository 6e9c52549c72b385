package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.LogCapture;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A public API without ORGSYNC_API_TOKEN: start-up says so loudly unless the node listens on
 * loopback only, and a resolve (which spends the enterprise's daily budget) takes only
 * {@code application/json}, which a web page cannot send cross-site without the browser asking
 * first: a {@code text/plain} or form post is refused before anything is called.
 */
class OpenApiExposureTest {
    private static final String CORP = "ww-open-api";
    private static final String SECRET = "open-api-secret-0123456789";
    private static final String RESOLVE = "/api/v1/members/resolve";
    private static final String OPEN = "ORGSYNC_API_TOKEN is not set";
    private static SimulatorControl sim;
    private static LogCapture log;
    private static ApiNode open;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorControl();
        sim.createCorp(CORP, SECRET, 2, 10, false);
        log = LogCapture.start();
        open = ApiNode.start("open-api", TestDatabases.h2("open_api"), sim, Map.of());
        open.enterprise(CORP, SECRET);
    }

    @AfterAll
    static void stop() {
        if (open != null) {
            open.close();
        }
        log.close();
        sim.close();
    }

    @Test
    void anOpenApiOnEveryAddressIsWarnedAboutAtStartUp() {
        assertTrue(
                log.lines().stream()
                        .anyMatch(l -> l.rendered().contains("WARN")
                                && l.rendered().contains(OPEN)
                                && l.rendered().contains("0.0.0.0")),
                "a WARN line saying the API is open on 0.0.0.0");
    }

    @Test
    void noWarningWithATokenOrOnLoopbackOnly() throws Exception {
        try (LogCapture quiet = LogCapture.start()) {
            try (ApiNode withToken = ApiNode.start(
                            "open-api-token",
                            TestDatabases.h2("open_api_token"),
                            sim,
                            Map.of("ORGSYNC_API_TOKEN", "an-api-token-0123456789"));
                    ApiNode loopback = ApiNode.start(
                            "open-api-loopback",
                            TestDatabases.h2("open_api_loopback"),
                            sim,
                            Map.of("ORGSYNC_HTTP_HOST", "127.0.0.1"))) {
                assertEquals(
                        404,
                        loopback.get("/api/v1/members/by-mobile/13800000000").status());
                assertEquals(
                        401,
                        withToken.get("/api/v1/members/by-mobile/13800000000").status());
            }
            assertFalse(quiet.contains(OPEN), "no warning for a token or a loopback-only node");
        }
    }

    @Test
    void aResolveThatIsNotJsonIsRefusedBeforeAnythingIsCalled() throws Exception {
        String mobile = mobileOfSomeone();
        byte[] body = ("{\"corpId\":\"" + CORP + "\",\"mobile\":\"" + mobile + "\"}").getBytes(StandardCharsets.UTF_8);
        sim.resetStats();
        for (String type :
                new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded"}) {
            ApiNode.Response r = open.post(RESOLVE, body, "Content-Type", type);
            assertError(r, 400, "invalid_request", SECRET);
            assertTrue(r.json().path("error").path("message").asText().contains("application/json"), r::toString);
        }
        assertEquals(0, sim.calls("/cgi-bin/user/getuserid", CORP), "no getuserid for a refused body");

        ApiNode.Response json = open.post(RESOLVE, body, "Content-Type", "Application/JSON; charset=utf-8");
        assertEquals(200, json.status(), json::toString);
        assertEquals(1, sim.calls("/cgi-bin/user/getuserid", CORP));
    }

    private static String mobileOfSomeone() {
        for (JsonNode m : sim.export(CORP).path("members")) {
            if (m.path("mobile").asText().matches("1[3-9]\\d{9}")
                    && m.path("status").asInt() == 1) {
                return m.path("mobile").asText();
            }
        }
        throw new AssertionError("no active mainland member");
    }
}
