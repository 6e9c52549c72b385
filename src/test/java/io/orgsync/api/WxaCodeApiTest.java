package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/v1/miniapps/{appId}/wxacode} over real HTTP against the simulator: the image
 * is the upstream's byte for byte, cached with an ETag, survives a token invalidated by another
 * holder mid-traffic, and every upstream errcode maps to the documented answer.
 */
class WxaCodeApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "wxacode-app-secret-0123456789";
    private static final String CODE_API = "/wxa/getwxacodeunlimit";
    private static SimulatorControl sim;
    private static ApiNode node;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorControl();
        node = ApiNode.start("wxacode", TestDatabases.h2("wxacode_api"), sim, Map.of());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        sim.close();
    }

    @AfterEach
    void clearFaults() {
        sim.clearFaults();
    }

    /** A fresh app in the simulator and in orgsync, so that blocks and caches of one test touch no other. */
    private static String app(String name, String tokenMode) throws Exception {
        String appId = "wx-" + name;
        sim.createApp(appId, SECRET);
        node.app(appId, SECRET, tokenMode);
        return appId;
    }

    private static String path(String appId, String query) {
        return "/api/v1/miniapps/" + appId + "/wxacode?" + query;
    }

    @Test
    void theImageIsTheUpstreamsByteForByte() throws Exception {
        String appId = app("bytes", "stable");
        ApiNode.Response r = node.get(path(
                appId,
                "scene=id%3D42&page=pages/index/index&width=280&envVersion=trial&checkPath=true&isHyaline=false"));
        assertEquals(200, r.status(), r::toString);
        assertEquals("image/jpeg", r.header("Content-Type"));
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("scene", "id=42");
        same.put("page", "pages/index/index");
        same.put("width", 280);
        same.put("env_version", "trial");
        same.put("check_path", true);
        same.put("is_hyaline", false);
        assertArrayEquals(direct(appId, same), r.body(), "what the simulator draws for the same parameters");

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertNotNull(image, "a JPEG that decodes");
        assertEquals(280, image.getWidth());

        ApiNode.Response other = node.get(path(appId, "scene=id%3D43"));
        ApiNode.Response again = node.get(path(appId, "scene=id%3D43"));
        assertEquals(200, other.status(), other::toString);
        assertFalse(java.util.Arrays.equals(r.body(), other.body()), "another scene, another code");
        assertArrayEquals(other.body(), again.body(), "the same scene, the same code");
        assertArrayEquals(direct(appId, Map.of("scene", "id=43")), other.body(), "defaults as the upstream's");
        assertNotNull(ImageIO.read(new ByteArrayInputStream(other.body())));
    }

    @Test
    void aCachedCodeHasAnEtagAnswers304AndMakesNoSecondCall() throws Exception {
        String appId = app("cache", "stable");
        String p = path(appId, "scene=cache-1");
        ApiNode.Response first = node.get(p);
        assertEquals(200, first.status(), first::toString);
        String etag = first.header("ETag");
        assertNotNull(etag);
        assertTrue(etag.matches("\"[0-9a-f]{16,64}\""), etag);
        String cacheControl = first.header("Cache-Control");
        assertNotNull(cacheControl);
        assertTrue(cacheControl.contains("max-age="), cacheControl);
        long calls = sim.calls(CODE_API, appId);
        assertEquals(1, calls);

        ApiNode.Response cached = node.get(p);
        assertEquals(200, cached.status());
        assertEquals(etag, cached.header("ETag"));
        assertArrayEquals(first.body(), cached.body());

        ApiNode.Response notModified = node.get(p, "If-None-Match", etag);
        assertEquals(304, notModified.status(), notModified::toString);
        assertEquals(0, notModified.body().length);
        assertEquals(etag, notModified.header("ETag"));

        assertEquals(
                304, node.get(p, "If-None-Match", "W/" + etag).status(), "a weak tag, as a compressing proxy sends it");
        assertEquals(
                304,
                node.get(p, "If-None-Match", "\"0000000000000000\", " + etag).status(),
                "a list of tags");
        assertEquals(304, node.get(p, "If-None-Match", "*").status());

        ApiNode.Response stale = node.get(p, "If-None-Match", "\"0000000000000000\"");
        assertEquals(200, stale.status(), "another ETag gets the image");
        assertArrayEquals(first.body(), stale.body());
        assertEquals(calls, sim.calls(CODE_API, appId), "every answer after the first came from the cache");

        ApiNode.Response otherWidth = node.get(path(appId, "scene=cache-1&width=500"));
        assertEquals(200, otherWidth.status());
        assertFalse(etag.equals(otherWidth.header("ETag")), "the parameters are part of the cache key");
        assertEquals(calls + 1, sim.calls(CODE_API, appId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stable", "classic"})
    void aTokenInvalidatedMidTrafficRecoversWithNoFailedRequest(String tokenMode) throws Exception {
        String appId = app("midtraffic-" + tokenMode, tokenMode);
        assertEquals(200, node.get(path(appId, "scene=warm")).status());
        sim.resetStats();
        int threads = 8;
        int perThread = 25;
        AtomicInteger done = new AtomicInteger();
        AtomicInteger invalidated = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<ApiNode.Response>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<ApiNode.Response> out = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        out.add(node.get(path(appId, "scene=t" + thread + "-" + i)));
                        // another holder of the secret takes the token once a fifth of the traffic is through
                        if (done.incrementAndGet() == threads * perThread / 5 && invalidated.getAndIncrement() == 0) {
                            sim.invalidateTokens(appId);
                        }
                    }
                    return out;
                }));
            }
            for (Future<List<ApiNode.Response>> f : futures) {
                for (ApiNode.Response r : f.get(120, TimeUnit.SECONDS)) {
                    assertEquals(200, r.status(), r::toString);
                    assertEquals("image/jpeg", r.header("Content-Type"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, invalidated.get());
        JsonNode stats = sim.stats();
        assertEquals(
                threads * perThread,
                sim.calls(CODE_API, appId) - stats.path("errors").path("40001").asLong(),
                "every code fetched once, plus the calls the dead token failed: " + stats);
        assertTrue(stats.path("errors").path("40001").asLong() >= 1, "the invalidation hit live traffic: " + stats);
        String key = appId + "/" + tokenMode;
        assertEquals(1, sim.tokensIssued(key), "one new token for the whole node: " + stats.path("tokensIssued"));
    }

    @Test
    void upstreamErrcodesMapToTheDocumentedAnswers() throws Exception {
        String appId = app("errors", "stable");
        assertEquals(200, node.get(path(appId, "scene=ok")).status(), "token in place");

        sim.fault(Map.of("path", CODE_API, "appId", appId, "errcode", 41030, "count", 1));
        assertError(node.get(path(appId, "scene=e1")), 400, "invalid_request", SECRET);
        sim.fault(Map.of("path", CODE_API, "appId", appId, "errcode", 40129, "count", 1));
        assertError(node.get(path(appId, "scene=e2")), 400, "invalid_request", SECRET);
        sim.fault(Map.of("path", CODE_API, "appId", appId, "errcode", 40169, "count", 1));
        assertError(node.get(path(appId, "scene=e3")), 400, "invalid_request", SECRET);

        sim.fault(Map.of("path", CODE_API, "appId", appId, "errcode", 40013, "count", 1));
        ApiNode.Response config = node.get(path(appId, "scene=e4"));
        assertError(config, 502, "upstream_error", SECRET);
        assertTrue(config.json().path("error").path("message").asText().contains("40013"), config::toString);

        sim.fault(Map.of("path", CODE_API, "appId", appId, "errcode", -1));
        ApiNode.Response busy = node.get(path(appId, "scene=e5"));
        assertError(busy, 503, "unavailable", SECRET);
        assertNotNull(busy.header("Retry-After"));
        sim.clearFaults();

        sim.fault(Map.of("path", CODE_API, "appId", appId, "httpStatus", 500));
        assertError(node.get(path(appId, "scene=e6")), 503, "unavailable", SECRET);
        sim.clearFaults();

        // none of the failures was cached: the same parameters work once the upstream does
        for (String scene : List.of("e1", "e2", "e4", "e5")) {
            assertEquals(200, node.get(path(appId, "scene=" + scene)).status(), scene);
        }

        sim.fault(Map.of("path", CODE_API, "appId", appId, "errcode", 45009, "count", 1));
        ApiNode.Response limited = node.get(path(appId, "scene=e7"));
        assertError(limited, 429, "rate_limited", SECRET);
        assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1, limited.headers()::toString);
        long calls = sim.calls(CODE_API, appId);
        assertError(node.get(path(appId, "scene=e8")), 429, "rate_limited", SECRET);
        assertEquals(calls, sim.calls(CODE_API, appId), "no call into the block");
        assertEquals(200, node.get(path(appId, "scene=ok")).status(), "a cached code is still served during the block");
    }

    @Test
    void aWrongSecretIsAnUpstreamErrorThatNamesTheFixNotARetry() throws Exception {
        String appId = "wx-wrong-secret";
        String wrong = "wrong-secret-0123456789abcdef";
        sim.createApp(appId, SECRET);
        node.app(appId, wrong, "stable");
        ApiNode.Response r = node.get(path(appId, "scene=a"));
        assertError(r, 502, "upstream_error", SECRET, wrong);
        assertTrue(r.json().path("error").path("message").asText().contains("40125"), r::toString);
        // counted on the token path: the configuration alert reaches the simulator's robot
        // webhook asynchronously, so the simulator's total would count it at an unknown moment
        long calls = sim.calls("/cgi-bin/stable_token", appId);
        assertEquals(1, calls);
        assertError(node.get(path(appId, "scene=b")), 502, "upstream_error", SECRET, wrong);
        assertEquals(
                calls, sim.calls("/cgi-bin/stable_token", appId), "a wrong secret is not tried again at once (IP ban)");
    }

    @Test
    void pagesTheAppHasNotPublished() throws Exception {
        String appId = app("pages", "stable");
        assertError(node.get(path(appId, "scene=a&page=pages/draft/draft")), 400, "invalid_request", SECRET);
        assertEquals(
                200,
                node.get(path(appId, "scene=a&page=pages/draft/draft&checkPath=false"))
                        .status(),
                "checkPath=false allows a page not yet published");
    }

    @Test
    void anUnknownAppIsA404WithoutAnUpstreamCall() throws Exception {
        sim.createApp("wx-unregistered", SECRET);
        sim.resetStats();
        assertError(node.get(path("wx-unregistered", "scene=a")), 404, "unknown_app", SECRET);
        assertEquals(0, sim.stats().path("totalCalls").asLong());
    }

    /** The simulator's image for these parameters, fetched directly with the app's (shared) stable token. */
    private static byte[] direct(String appId, Map<String, Object> body) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Object> tokenRequest =
                Map.of("grant_type", "client_credential", "appid", appId, "secret", SECRET, "force_refresh", false);
        HttpResponse<byte[]> t = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/cgi-bin/stable_token"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(tokenRequest)))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String token = JSON.readTree(t.body()).path("access_token").asText();
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + CODE_API + "?access_token=" + token))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""), () -> new String(r.body()));
        return r.body();
    }
}
