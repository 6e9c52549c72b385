package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.member.Mobile;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For an app that shows mobiles (created before 2022-06-20), an empty mobile in user/list is a
 * number removed upstream: the sync clears the stored one, whether an older sync or a resolve
 * learned it, so that a number given to someone else matches only its new owner. What the fetch
 * showed is remembered on the enterprise row. (Apps that hide mobiles keep learned ones:
 * {@link SyncGuardsTest}.)
 */
class SyncRemovedMobilesTest {
    private static final String SECRET = "mobiles-secret-0123456789";
    private static final AtomicInteger CORPS = new AtomicInteger();
    private static final Map<String, String> DATABASES = new HashMap<>();

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    @RegisterExtension
    final SyncingNode syncing = new SyncingNode();

    private Node node;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aMobileRemovedUpstreamIsClearedWhenTheAppShowsMobiles(String dialect) throws Exception {
        String corp = "ww-mobiles-" + CORPS.incrementAndGet();
        String base = "/__sim/corps/" + corp;
        node = start(dialect);
        sim.createCorp(corp, SECRET, 6, 40, true);
        syncing.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, run(corp).status());

        JsonNode members = sim.export(corp).path("members");
        String previousOwner = members.get(0).path("userid").asText();
        String number = Mobile.normalise(members.get(0).path("mobile").asText()).orElseThrow();
        String newOwner = members.get(1).path("userid").asText();
        assertEquals(List.of(previousOwner), owners(number, corp), "stored by the first sync");
        // a member added after that sync, whose number a resolve learned
        sim.post(
                base + "/members",
                Map.of("userid", "resolved-one", "name", "解析所得", "department", List.of(1), "mobile", "13900000077"));
        assertEquals(
                "resolved-one",
                NodeInternals.resolver(node).resolve(corp, "13900000077").userid());

        // the number moves to another member; the resolved member's number is removed
        sim.send("PATCH", base + "/members/" + previousOwner, Map.of("mobile", ""));
        sim.send("PATCH", base + "/members/" + newOwner, Map.of("mobile", number));
        sim.send("PATCH", base + "/members/resolved-one", Map.of("mobile", ""));

        Run second = run(corp);

        assertEquals(RunStatus.SUCCEEDED, second.status(), second.error());
        assertEquals(List.of(newOwner), owners(number, corp), "the number matches its new owner only");
        assertEquals(
                List.of(), owners("13900000077", corp), "a number learned by a resolve and removed upstream is gone");
        List<String> differences =
                OrgTruth.fromExport(sim.export(corp)).diff(OrgTruth.fromDatabase(node.dataSource(), corp));
        assertTrue(differences.isEmpty(), OrgTruth.describe(differences));
        assertEquals(Boolean.TRUE, mobilesVisible(corp), "remembered: the app shows mobiles");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void anAppThatHidesMobilesIsRememberedSoAndKeepsLearnedOnes(String dialect) throws Exception {
        String corp = "ww-mobiles-" + CORPS.incrementAndGet();
        node = start(dialect);
        sim.createCorp(corp, SECRET, 6, 40, false);
        syncing.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, run(corp).status());
        JsonNode member = sim.export(corp).path("members").get(2);
        String mobile = Mobile.normalise(member.path("mobile").asText()).orElseThrow();
        assertEquals(
                member.path("userid").asText(),
                NodeInternals.resolver(node).resolve(corp, mobile).userid());
        sim.send(
                "PATCH",
                "/__sim/corps/" + corp + "/members/" + member.path("userid").asText(),
                Map.of("position", "改了职位"));

        Run second = run(corp);

        assertEquals(RunStatus.SUCCEEDED, second.status(), second.error());
        assertEquals(List.of(member.path("userid").asText()), owners(mobile, corp), "the learned mobile stays");
        assertEquals(Boolean.FALSE, mobilesVisible(corp), "remembered: the app hides mobiles");
    }

    /** A node on the dialect's database, one per dialect for the class: each test syncs a corp of its own. */
    private Node start(String dialect) throws Exception {
        return syncing.start(TestNode.on(
                        DATABASES.computeIfAbsent(dialect, d -> TestDatabases.url(d, "sync_mobiles")), sim.baseUrl())
                .with("ORGSYNC_DEPT_RATE", 200));
    }

    private Run run(String corp) throws Exception {
        return syncing.run(corp);
    }

    private List<String> owners(String mobile, String corp) throws Exception {
        return syncing.owners(mobile, corp);
    }

    private Boolean mobilesVisible(String corp) throws Exception {
        try (Connection c = node.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT mobiles_visible FROM enterprise WHERE corp_id = ?")) {
            ps.setString(1, corp);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no enterprise row for " + corp);
                boolean v = rs.getBoolean(1);
                return rs.wasNull() ? null : v;
            }
        }
    }
}
