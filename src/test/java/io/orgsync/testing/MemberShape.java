package io.orgsync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.member.Mobile;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A member as the API answers it, against the simulator's export, field by field
 * (docs/http-api.md, "A member"): what the set-up cannot read (mobiles and e-mails of an app that
 * does not see them) and what is empty upstream are null, never "".
 */
public final class MemberShape {
    public static final Set<String> FIELDS = Set.of(
            "corpId",
            "userid",
            "name",
            "mobile",
            "email",
            "position",
            "status",
            "mainDepartment",
            "departments",
            "directLeader",
            "alias",
            "telephone",
            "updatedAt");

    private MemberShape() {}

    /**
     * @param export   the simulator's export of the member's enterprise
     * @param expected the member in it
     * @param visible  whether the enterprise's app sees mobiles and e-mails
     */
    public static void assertMember(JsonNode export, JsonNode expected, JsonNode answered, boolean visible) {
        String who = expected.path("userid").asText() + ": " + answered;
        assertEquals(FIELDS, names(answered), "the member's fields");
        assertEquals(export.path("corpId").asText(), answered.path("corpId").asText());
        assertEquals(expected.path("userid").asText(), answered.path("userid").asText());
        assertEquals(expected.path("name").asText(), answered.path("name").asText(), who);
        assertText(
                visible ? Mobile.normalise(expected.path("mobile").asText("")).orElse(null) : null,
                answered.path("mobile"),
                "mobile of " + who);
        assertText(visible ? expected.path("email").asText("") : null, answered.path("email"), "email of " + who);
        assertText(expected.path("position").asText(""), answered.path("position"), "position of " + who);
        assertText(expected.path("alias").asText(""), answered.path("alias"), "alias of " + who);
        assertText(expected.path("telephone").asText(""), answered.path("telephone"), "telephone of " + who);
        assertTrue(answered.path("status").isInt(), who);
        assertEquals(expected.path("status").asInt(), answered.path("status").asInt(), who);
        assertEquals(
                expected.path("main_department").asLong(),
                answered.path("mainDepartment").asLong(),
                who);
        assertEquals(texts(expected.path("direct_leader")), texts(answered.path("directLeader")), who);
        assertTrue(answered.path("directLeader").isArray(), who);

        Map<Long, Boolean> leads = new TreeMap<>();
        for (int i = 0; i < expected.path("department").size(); i++) {
            leads.put(
                    expected.path("department").get(i).asLong(),
                    expected.path("is_leader_in_dept").path(i).asInt() == 1);
        }
        Map<Long, Boolean> answeredLeads = new TreeMap<>();
        for (JsonNode d : answered.path("departments")) {
            assertEquals(Set.of("id", "name", "path", "isLeader"), names(d), who);
            long id = d.path("id").asLong();
            assertEquals(
                    department(export, id).path("name").asText(), d.path("name").asText(), who);
            assertEquals(OrgTruth.path(export, id), d.path("path").asText(), who);
            assertTrue(d.path("isLeader").isBoolean(), who);
            answeredLeads.put(id, d.path("isLeader").asBoolean());
        }
        assertEquals(leads, answeredLeads, "departments and leader flags of " + who);
    }

    /** An answered text: null where the truth is empty or not readable, never "". */
    private static void assertText(String truth, JsonNode answered, String what) {
        if (truth == null || truth.isEmpty()) {
            assertTrue(answered.isNull(), what + " is null, not '" + answered + "'");
        } else {
            assertEquals(truth, answered.asText(), what);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    public static JsonNode department(JsonNode export, long id) {
        for (JsonNode d : export.path("departments")) {
            if (d.path("id").asLong() == id) {
                return d;
            }
        }
        throw new AssertionError("no department " + id + " in the export");
    }

    public static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(out::add);
        return out;
    }
}
