package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertClean;
import static io.orgsync.testing.ApiAssertions.assertError;
import static io.orgsync.testing.ExportPicks.international;
import static io.orgsync.testing.ExportPicks.mainland;
import static io.orgsync.testing.ExportPicks.multiDepartment;
import static io.orgsync.testing.MemberShape.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MemberShape;
import io.orgsync.testing.NodePerDialect;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/v1/members/by-mobile/{mobile}} over real HTTP, after a real sync from the
 * simulator, on H2 and on MariaDB: the member shape of docs/http-api.md, every accepted input form of a
 * number, the corpId filter, departed members, 404, and the API token.
 */
class LookupApiTest {
    private static final String CORP = "ww-lookup";
    private static final String SECRET = "lookup-secret-0123456789";
    private static final String OTHER = "ww-lookup-other";
    private static final String OTHER_SECRET = "lookup-other-secret-0123456789";
    private static final String LOOKUP = "/api/v1/members/by-mobile/";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private static JsonNode truth;
    private static String twinMobile;

    /** One node per database kind, with both enterprises synced. */
    @RegisterExtension
    static final NodePerDialect nodes = new NodePerDialect("lookup", "lookup_api", sim, node -> {
        node.enterprise(CORP, SECRET);
        node.enterprise(OTHER, OTHER_SECRET);
        assertEquals(RunStatus.SUCCEEDED, node.sync(CORP).status());
        assertEquals(RunStatus.SUCCEEDED, node.sync(OTHER).status());
    });

    @BeforeAll
    static void start() {
        sim.createCorp(CORP, SECRET, 8, 60, true);
        sim.createCorp(OTHER, OTHER_SECRET, 2, 5, true);
        truth = sim.export(CORP);
        // the same number in two enterprises, as when one person works for both
        twinMobile = mainland(truth).get(1).path("mobile").asText();
        sim.post(
                "/__sim/corps/" + OTHER + "/members",
                Map.of("userid", "twin", "name", "双胞胎", "mobile", twinMobile, "department", List.of(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aMemberFoundHasExactlyTheShapeOfTheSpec(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        JsonNode expected = multiDepartment(mainland(truth));
        String mobile = expected.path("mobile").asText();
        Instant before = Instant.now();

        ApiNode.Response r = node.get(LOOKUP + mobile);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.headers()::toString);
        assertClean(r, SECRET);
        JsonNode body = r.json();
        assertEquals(Set.of("mobile", "members"), names(body));
        assertEquals(mobile, body.path("mobile").asText());
        assertEquals(1, body.path("members").size(), body::toString);
        JsonNode m = body.path("members").get(0);
        MemberShape.assertMember(truth, expected, m, true);
        assertEquals(mobile, m.path("mobile").asText());
        assertTrue(m.path("mainDepartment").isIntegralNumber());
        assertTrue(m.path("departments").size() > 1, "a member in several departments");

        String updatedAt = m.path("updatedAt").asText();
        assertTrue(updatedAt.endsWith("Z"), "UTC: " + updatedAt);
        Instant t = Instant.parse(updatedAt);
        assertTrue(
                !t.isAfter(before.plusSeconds(1)) && t.isAfter(before.minusSeconds(600)),
                "the time of the sync: " + updatedAt);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void everyAcceptedFormOfANumberFindsTheSameMember(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        JsonNode expected = mainland(truth).get(0);
        String m = expected.path("mobile").asText();
        String dashed = m.substring(0, 3) + "-" + m.substring(3, 7) + "-" + m.substring(7);
        List<String> forms = List.of(
                m,
                "+86" + m,
                "0086" + m,
                "+86 " + dashed,
                "0086 " + m.substring(0, 3) + " " + m.substring(3, 7) + " " + m.substring(7),
                dashed,
                " " + m + " ",
                "+86-" + m);
        for (String form : forms) {
            ApiNode.Response r = node.get(LOOKUP + path(form));
            assertEquals(200, r.status(), () -> form + ": " + r);
            assertEquals(m, r.json().path("mobile").asText(), form);
            assertEquals(
                    expected.path("userid").asText(),
                    r.json().path("members").get(0).path("userid").asText(),
                    form);
        }

        JsonNode international = international(truth);
        String stored = international.path("mobile").asText().replaceAll("[\\s-]", "");
        for (String form : List.of(
                stored, "00" + stored.substring(1), international.path("mobile").asText())) {
            ApiNode.Response r = node.get(LOOKUP + path(form));
            assertEquals(200, r.status(), () -> form + ": " + r);
            assertEquals(stored, r.json().path("mobile").asText(), form);
            assertEquals(
                    international.path("userid").asText(),
                    r.json().path("members").get(0).path("userid").asText(),
                    form);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void oneNumberInTwoEnterprisesAndTheCorpIdFilter(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        ApiNode.Response both = node.get(LOOKUP + twinMobile);
        assertEquals(200, both.status(), both::toString);
        List<String> corps = new ArrayList<>();
        both.json().path("members").forEach(x -> corps.add(x.path("corpId").asText()));
        assertEquals(List.of(CORP, OTHER), corps, "both, in corpId order");

        ApiNode.Response one = node.get(LOOKUP + twinMobile + "?corpId=" + OTHER);
        assertEquals(200, one.status(), one::toString);
        assertEquals(1, one.json().path("members").size());
        assertEquals("twin", one.json().path("members").get(0).path("userid").asText());

        assertError(node.get(LOOKUP + twinMobile + "?corpId=ww-nobody"), 404, "not_found", SECRET);
        String member = mainland(truth).get(0).path("mobile").asText();
        assertError(node.get(LOOKUP + member + "?corpId=" + OTHER), 404, "not_found", SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void anUnknownNumberIsNotFound(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        Set<String> known = new HashSet<>();
        truth.path("members").forEach(m -> known.add(m.path("mobile").asText()));
        String unknown = "19999999999";
        assertTrue(!known.contains(unknown));
        long calls = sim.stats().path("totalCalls").asLong();
        ApiNode.Response r = node.get(LOOKUP + unknown);
        assertError(r, 404, "not_found", SECRET);
        assertTrue(r.json().path("error").path("message").asText().contains("resolve"), "says what to do: " + r);
        assertError(node.get(LOOKUP + "%2B4420000000"), 404, "not_found", SECRET);
        assertEquals(calls, sim.stats().path("totalCalls").asLong(), "a lookup never calls the upstream");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aMemberWhoLeftIsNoLongerFound(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        String corp = "ww-lookup-leave-" + dialect;
        String secret = "leave-secret-0123456789";
        sim.createCorp(corp, secret, 2, 20, true);
        node.enterprise(corp, secret);
        assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());
        JsonNode leaving = mainland(sim.export(corp)).get(0);
        String mobile = leaving.path("mobile").asText();
        assertEquals(200, node.get(LOOKUP + mobile).status());

        sim.send(
                "DELETE",
                "/__sim/corps/" + corp + "/members/" + leaving.path("userid").asText(),
                null);
        assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());
        assertError(node.get(LOOKUP + mobile), 404, "not_found", secret);
    }

    @Test
    void withAnApiTokenSetEveryApiRouteNeedsTheBearerAndTheReadRoutesAlsoTakeTheAdminToken() throws Exception {
        String token = "api-token-0123456789abcdef";
        String admin = "admin-token-0123456789abcdef";
        try (ApiNode node = ApiNode.start(
                "lookup-token",
                TestDatabases.h2("lookup_token"),
                sim,
                Map.of("ORGSYNC_API_TOKEN", token, "ORGSYNC_ADMIN_TOKEN", admin))) {
            node.enterprise(OTHER, OTHER_SECRET);
            assertEquals(RunStatus.SUCCEEDED, node.sync(OTHER).status());
            sim.resetStats();
            String path = LOOKUP + twinMobile;
            assertError(node.get(path), 401, "unauthorized", token, OTHER_SECRET);
            assertError(node.get(path, "Authorization", "Bearer wrong-token-0123456789"), 401, "unauthorized", token);
            assertError(node.get(path, "Authorization", "Bearer " + token + "x"), 401, "unauthorized", token);
            assertError(node.get(path, "Authorization", "Basic " + token), 401, "unauthorized", token);
            assertError(node.get(path, "Authorization", token), 401, "unauthorized", token);
            assertError(node.resolve(OTHER, twinMobile), 401, "unauthorized", token);
            assertError(node.get("/api/v1/miniapps/wx-any/wxacode?scene=a"), 401, "unauthorized", token);
            assertEquals(0, sim.stats().path("totalCalls").asLong(), "refused before any upstream call");

            ApiNode.Response ok = node.get(path, "Authorization", "Bearer " + token);
            assertEquals(200, ok.status(), ok::toString);
            assertEquals("twin", ok.json().path("members").get(0).path("userid").asText());
            assertEquals(200, node.get("/health").status(), "only /api needs the token");

            // the console holds the admin token: it reads the org with it, and does nothing else on /api
            String[] asAdmin = {"Authorization", "Bearer " + admin};
            String corp = "/api/v1/corps/" + OTHER;
            for (String read : List.of(
                    path,
                    path + "?corpId=" + OTHER,
                    corp + "/members/twin",
                    corp + "/members?q=tw",
                    corp + "/departments",
                    corp + "/departments/1/members?recursive=true")) {
                ApiNode.Response r = node.get(read, asAdmin);
                assertEquals(200, r.status(), () -> read + ": " + r);
                assertClean(r, admin, token);
                assertError(node.get(read, "Authorization", "Bearer " + admin + "x"), 401, "unauthorized", admin);
            }
            assertError(node.resolve(OTHER, twinMobile, asAdmin), 401, "unauthorized", admin, token);
            assertError(node.get("/api/v1/miniapps/wx-any/wxacode?scene=a", asAdmin), 401, "unauthorized", admin);
            assertEquals(0, sim.stats().path("totalCalls").asLong(), "nothing asked upstream with the admin token");
        }
    }

    /** A path segment: spaces as %20, '+' as %2B. */
    private static String path(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
