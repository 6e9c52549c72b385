package io.orgsync.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A member as user/list and user/get return it (docs/upstream.md, "WeCom set-ups"). {@code mobile}
 * and {@code email} are empty for apps created after 2022-06-20, which WeCom no longer shows
 * them. A field the answer does not carry at all is null: {@code status}, {@code alias},
 * {@code telephone}, {@code directLeader} and {@code leaderIn} (WeCom's is_leader_in_dept,
 * parallel to {@code departments}).
 */
public record WecomMember(
        String userid,
        String name,
        String mobile,
        String email,
        String position,
        Integer status,
        int mainDepartment,
        List<Integer> departments,
        List<Integer> leaderIn,
        List<String> directLeader,
        String alias,
        String telephone) {
    public WecomMember {
        departments = List.copyOf(departments);
        leaderIn = leaderIn == null ? null : List.copyOf(leaderIn);
        directLeader = directLeader == null ? null : List.copyOf(directLeader);
    }

    /** The member in a user/list entry or a user/get answer. */
    public static WecomMember fromJson(JsonNode m) {
        List<Integer> departments = new ArrayList<>();
        m.path("department").forEach(d -> departments.add(d.asInt()));
        return new WecomMember(
                m.path("userid").asText(),
                text(m, "name"),
                m.path("mobile").asText(""),
                m.path("email").asText(""),
                text(m, "position"),
                m.path("status").isNumber() ? m.path("status").asInt() : null,
                m.path("main_department").asInt(departments.isEmpty() ? 0 : departments.get(0)),
                departments,
                m.path("is_leader_in_dept").isArray() ? ints(m.path("is_leader_in_dept")) : null,
                m.path("direct_leader").isArray() ? texts(m.path("direct_leader")) : null,
                text(m, "alias"),
                text(m, "telephone"));
    }

    private static String text(JsonNode m, String field) {
        JsonNode v = m.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asInt()));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
