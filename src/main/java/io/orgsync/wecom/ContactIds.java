package io.orgsync.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.upstream.UpstreamResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a contact-sync secret reads from any IP (docs/upstream.md, "WeCom set-ups"): the whole
 * department tree without names (department/simplelist) and every member's userid and departments
 * (user/list_id pages). From an IP trusted since 2022-08-15 that is all it reads: department/list
 * answers 48009, which {@link #fullTree} turns into "ids only".
 */
public final class ContactIds {
    /** The contact-sync secret called from a new IP: it may list ids only. */
    public static final int IDS_ONLY = 48009;
    /** user/list_id's largest page. */
    static final int PAGE = 10_000;

    private final WecomClient client;

    public ContactIds(WecomClient client) {
        this.client = client;
    }

    /** department/list through this secret; empty when it answers 48009 (ids only). */
    public Optional<List<WecomDepartment>> fullTree() {
        UpstreamResponse r = client.departmentCall("/cgi-bin/department/list", Map.of(), Set.of(IDS_ONLY));
        return r.ok() ? Optional.of(WecomClient.departments(r.json().path("department"))) : Optional.empty();
    }

    /**
     * user/get through this secret: empty when it answers 48009 (ids only), else WeCom's answer
     * (empty: no such member).
     */
    public Optional<Optional<WecomMember>> member(String userid) {
        UpstreamResponse r = client.memberCall(userid, Set.of(IDS_ONLY));
        if (r.errcode() == IDS_ONLY) {
            return Optional.empty();
        }
        return Optional.of(r.ok() ? Optional.of(WecomMember.fromJson(r.json())) : Optional.empty());
    }

    /** The whole tree: ids, parents and orders; every name null. */
    public List<WecomDepartment> tree() {
        JsonNode json = client.departmentCall("/cgi-bin/department/simplelist", Map.of(), Set.of())
                .json();
        List<WecomDepartment> out = new ArrayList<>();
        for (JsonNode d : json.path("department_id")) {
            out.add(new WecomDepartment(
                    d.path("id").asInt(),
                    null,
                    d.path("parentid").asInt(),
                    d.path("order").asLong()));
        }
        return out;
    }

    /**
     * Every member with its departments, from user/list_id pages (one row per membership). Nothing
     * else is known: name, mobile, e-mail and position are empty, the status 1 and the main
     * department the first listed, as user/list's parser would store for absent fields.
     */
    public Map<String, WecomMember> members() {
        Map<String, List<Integer>> departments = new LinkedHashMap<>();
        String cursor = "";
        do {
            JsonNode page = client.departmentPost("/cgi-bin/user/list_id", Map.of("cursor", cursor, "limit", PAGE))
                    .json();
            for (JsonNode row : page.path("dept_user")) {
                departments
                        .computeIfAbsent(row.path("userid").asText(), u -> new ArrayList<>())
                        .add(row.path("department").asInt());
            }
            cursor = page.path("next_cursor").asText("");
        } while (!cursor.isEmpty());
        Map<String, WecomMember> out = new LinkedHashMap<>();
        departments.forEach((userid, ds) -> out.put(
                userid, new WecomMember(userid, null, "", "", null, null, ds.get(0), ds, null, null, null, null)));
        return out;
    }
}
