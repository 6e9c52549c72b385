package io.orgsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The generated enterprises, seen through the export: deterministic and varied. */
class OrgGeneratorTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    /** The export without the corp id, which of course differs between two corps. */
    private JsonNode org(String corpId, long seed) {
        // the root department is named after the enterprise: give them all one name
        s.corp(corpId, 40, 500, seed, true, "name", "同一企业");
        ObjectNode e = (ObjectNode) s.export(corpId);
        e.remove("corpId");
        return e;
    }

    @Test
    void sameSeedSameOrgDifferentSeedDifferentOrg() {
        JsonNode a = org("wwgen1", 77);
        JsonNode b = org("wwgen2", 77);
        JsonNode c = org("wwgen3", 78);
        // assertTrue, not assertEquals: the failure message of two whole exports is unreadable
        assertTrue(a.equals(b), "same seed, same export");
        assertFalse(a.get("members").equals(c.get("members")), "different seed, different members");
        assertFalse(a.get("departments").equals(c.get("departments")), "different seed, different tree");
    }

    @Test
    void sameSeedSameOrgAcrossSimulators() {
        JsonNode a = org("wwgen1", 5);
        try (SimHttp other = new SimHttp()) {
            other.corp("wwgen1", 40, 500, 5, true, "name", "同一企业");
            assertTrue(
                    s.export("wwgen1").equals(other.export("wwgen1")), "same seed, same export in another simulator");
        }
        assertEquals(500, a.get("members").size());
    }

    @Test
    void treeIsSeveralLevelsDeep() {
        JsonNode e = org("wwdeep", 3);
        Map<Integer, Integer> parent = new HashMap<>();
        e.get("departments")
                .forEach(d -> parent.put(d.get("id").asInt(), d.get("parentid").asInt()));
        assertEquals(0, parent.get(1));
        int maxDepth = 0;
        for (int id : parent.keySet()) {
            int depth = 0;
            for (int at = id; at != 1; at = parent.get(at)) {
                depth++;
                assertTrue(depth < 100, "cycle at " + id);
            }
            maxDepth = Math.max(maxDepth, depth);
        }
        assertTrue(maxDepth >= 3, "depth " + maxDepth);
    }

    @Test
    void membersStatusesAndMobilesAreVaried() {
        JsonNode e = org("wwvar", 9);
        Set<Integer> statuses = new HashSet<>();
        int multi = 0;
        int mainland = 0;
        int international = 0;
        Set<String> mobiles = new HashSet<>();
        for (JsonNode m : e.get("members")) {
            statuses.add(m.get("status").asInt());
            if (m.get("department").size() > 1) {
                multi++;
            }
            String mobile = m.get("mobile").asText();
            if (mobile.matches("1[3-9]\\d{9}")) {
                mainland++;
            } else if (mobile.startsWith("+")) {
                assertTrue(mobile.replace(" ", "").matches("\\+\\d{6,15}"), mobile);
                international++;
            } else {
                throw new AssertionError("neither mainland nor international: " + mobile);
            }
            assertTrue(mobiles.add(mobile.replace(" ", "")), "mobiles are unique: " + mobile);
        }
        assertEquals(Set.of(1, 2, 4, 5), statuses);
        assertTrue(multi > 0, "some members are in several departments");
        assertTrue(mainland > 0 && international > 0, mainland + " mainland, " + international + " international");
    }

    @Test
    void sizesAreAsAsked() {
        s.corp("wwone", 1, 100, 1, true);
        JsonNode e = s.export("wwone");
        assertEquals(1, e.get("departments").size());
        assertEquals(100, e.get("members").size());
        e.get("members").forEach(m -> assertEquals(1, m.get("department").get(0).asInt()));
    }
}
