package io.orgsync.wecom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A department as WeCom's department/list and department/get return it (root: id 1, parent 0).
 * Its leaders (department_leader) are not kept here: they are the members marked
 * is_leader_in_dept in it, which the members carry (docs/upstream.md, "WeCom set-ups").
 */
public record WecomDepartment(int id, String name, int parentId, long order) {
    /** The department in a department/list entry or a department/get answer. */
    public static WecomDepartment fromJson(JsonNode d) {
        return new WecomDepartment(
                d.path("id").asInt(),
                d.path("name").asText(),
                d.path("parentid").asInt(),
                d.path("order").asLong());
    }
}
