package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.member.Member;
import io.orgsync.simulator.EventSealer;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code create_user} for a member already stored (repeated, or arriving after a later update)
 * merges into the stored row: a mobile a resolve learned and fields a newer event wrote survive
 * a create that does not carry them.
 */
class CallbackRepeatedCreateTest {
    private static final String SECRET = "callback-create-secret-01";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private ApiNode node;

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aCreateForAStoredMemberKeepsWhatItDoesNotCarry() throws Exception {
        String corp = "ww-cb-create";
        // an app that hides mobiles: a number is known only once a resolve learned it
        sim.createCorp(corp, SECRET, 3, 10, false);
        node = ApiNode.start("cb-create", TestDatabases.h2("callback_create"), sim, Map.of());
        EventSealer wecom = CallbackFixture.syncedAndDirect(node, corp, SECRET);
        JsonNode someone = sim.export(corp).path("members").get(0);
        String userid = someone.path("userid").asText();
        String mobile = someone.path("mobile").asText();
        assertEquals(200, node.resolve(corp, mobile).status(), "the number is learned by a resolve");
        Member before = NodeInternals.members(node.node).byMobile(mobile, corp).get(0);

        long now = node.node.clock().millis() / 1000;
        post(wecom, corp, now, "newer", Map.of("ChangeType", "update_user", "UserID", userid, "Position", "新职位"));
        // the create of the same member, delivered again (or late): only the fields a create of this app carries
        post(
                wecom,
                corp,
                now,
                "late-create",
                Map.of("ChangeType", "create_user", "UserID", userid, "Name", "再次创建", "Department", "1"));
        Waiting.until(
                Duration.ofSeconds(20),
                "both events applied",
                () -> node.node.events().recent(corp, 10).stream()
                                .filter(e -> e.status() == EventStatus.APPLIED)
                                .count()
                        == 2);

        List<Member> found = NodeInternals.members(node.node).byMobile(mobile, corp);
        assertEquals(1, found.size(), "the learned mobile still names the member: " + found);
        Member m = found.get(0);
        assertEquals(userid, m.userid());
        assertEquals("再次创建", m.name(), "what the create carries is written");
        assertEquals("新职位", m.position(), "what a newer event wrote survives");
        assertEquals(before.email(), m.email(), "what the sync stored survives");
        assertEquals(before.status(), m.status(), "what the sync stored survives");
    }

    private void post(EventSealer wecom, String corp, long now, String nonce, Map<String, String> fields)
            throws Exception {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("Event", "change_contact");
        all.putAll(fields);
        assertEquals(
                200,
                CallbackFixture.post(node, wecom, corp, now, nonce, CallbackFixture.changeXml(corp, now, all))
                        .status());
    }
}
