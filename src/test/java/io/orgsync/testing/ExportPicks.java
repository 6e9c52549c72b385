package io.orgsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Members and departments picked from a simulator export ({@code sim.export(corp)}) to test
 * against: the generated org differs with its size, so a test names what it needs instead of
 * an index, and fails saying what the org lacked.
 */
public final class ExportPicks {
    private ExportPicks() {}

    /** Members with a mainland China mobile (11 digits, no country code). */
    public static List<JsonNode> mainland(JsonNode export) {
        List<JsonNode> out = new ArrayList<>();
        export.path("members").forEach(m -> {
            if (m.path("mobile").asText().matches("1[3-9]\\d{9}")) {
                out.add(m);
            }
        });
        return out;
    }

    /** The first of {@code members} in more than one department. */
    public static JsonNode multiDepartment(Iterable<JsonNode> members) {
        for (JsonNode m : members) {
            if (m.path("department").size() > 1) {
                return m;
            }
        }
        throw new AssertionError("the generated org has nobody in several departments");
    }

    /** The first member whose mobile has a country code. */
    public static JsonNode international(JsonNode export) {
        for (JsonNode m : export.path("members")) {
            if (m.path("mobile").asText().startsWith("+")) {
                return m;
            }
        }
        throw new AssertionError("the generated org has no international number");
    }

    public static JsonNode byUserid(JsonNode export, String userid) {
        for (JsonNode m : export.path("members")) {
            if (m.path("userid").asText().equals(userid)) {
                return m;
            }
        }
        throw new AssertionError("no " + userid + " in the export");
    }

    /** The department {@code id} and every department below it. */
    public static Set<Long> subtree(JsonNode export, long id) {
        Set<Long> out = new TreeSet<>(List.of(id));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (JsonNode d : export.path("departments")) {
                if (out.contains(d.path("parentid").asLong())
                        && out.add(d.path("id").asLong())) {
                    grew = true;
                }
            }
        }
        return out;
    }

    /**
     * The root of the largest subtree of at most {@code maxDepartments} departments, the company's
     * root excluded: an app's visible range that leaves some departments out.
     */
    public static int partialRange(JsonNode export, int maxDepartments) {
        int best = 0;
        int size = 0;
        for (JsonNode d : export.path("departments")) {
            int below = subtree(export, d.path("id").asLong()).size();
            if (d.path("parentid").asInt() != 0 && below > size && below <= maxDepartments) {
                best = d.path("id").asInt();
                size = below;
            }
        }
        if (size < 2) {
            throw new AssertionError("the export has no subtree of 2 to " + maxDepartments + " departments");
        }
        return best;
    }
}
