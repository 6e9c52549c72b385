package io.orgsync.org;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.member.DepartmentTree;
import io.orgsync.member.Member;
import io.orgsync.member.StoredDepartment;
import io.orgsync.member.StoredMember;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pure rules of a change record: which fields an update changed, which cached answers it
 * touched, and the member or department as the read API shows it after the change.
 */
final class ChangeData {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeData() {}

    /** The fields of the read API's member that differ ({@code userid} for a rename); empty when none does. */
    static List<String> changedFields(StoredMember before, StoredMember after) {
        List<String> out = new ArrayList<>();
        field(out, "userid", before.userid(), after.userid());
        field(out, "name", before.name(), after.name());
        field(out, "mobile", before.mobile(), after.mobile());
        field(out, "email", before.email(), after.email());
        field(out, "position", before.position(), after.position());
        field(
                out,
                "status",
                Member.status(before.status(), before.departed()),
                Member.status(after.status(), after.departed()));
        field(out, "mainDepartment", before.mainDepartment(), after.mainDepartment());
        field(out, "departments", before.departments(), after.departments());
        if (before.departments().equals(after.departments())) {
            field(out, "isLeader", before.leaderIn(), after.leaderIn());
        }
        field(out, "directLeader", before.directLeader(), after.directLeader());
        field(out, "alias", before.alias(), after.alias());
        field(out, "telephone", before.telephone(), after.telephone());
        return out;
    }

    /** The fields of a department that differ. */
    static List<String> changedFields(StoredDepartment before, StoredDepartment after) {
        List<String> out = new ArrayList<>();
        field(out, "name", before.name(), after.name());
        field(out, "parentId", before.parentId(), after.parentId());
        field(out, "order", before.order(), after.order());
        return out;
    }

    private static void field(List<String> out, String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            out.add(name);
        }
    }

    /** What a member's change can have made wrong: both states' userids, mobiles, departments, names. */
    static OrgChange.Touched touched(StoredMember before, StoredMember after) {
        Set<String> userids = new HashSet<>();
        Set<String> mobiles = new HashSet<>();
        Set<Long> departments = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (StoredMember m : new StoredMember[] {before, after}) {
            if (m == null) {
                continue;
            }
            userids.add(m.userid());
            if (m.mobile() != null) {
                mobiles.add(m.mobile());
            }
            departments.addAll(m.departments());
            if (m.name() != null) {
                names.add(m.name());
            }
        }
        return new OrgChange.Touched(userids, mobiles, departments, names, false);
    }

    /** A department's change touches the tree: every answer that shows a department's name or path. */
    static OrgChange.Touched touched(StoredDepartment before, StoredDepartment after) {
        Set<Long> departments = new HashSet<>();
        for (StoredDepartment d : new StoredDepartment[] {before, after}) {
            if (d != null) {
                departments.add(d.id());
                departments.add(d.parentId());
            }
        }
        return new OrgChange.Touched(Set.of(), Set.of(), departments, Set.of(), true);
    }

    /** The member as GET /api/v1/corps/{corpId}/members/{userid} shows it, written at {@code at}. */
    static String member(String corpId, StoredMember m, DepartmentTree tree, long at) throws java.sql.SQLException {
        Map<Long, Boolean> memberships = new TreeMap<>();
        for (long d : m.departments()) {
            memberships.put(d, m.leaderIn() == null ? null : m.leaderIn().contains(d));
        }
        return json(new Member(
                corpId,
                m.userid(),
                m.name(),
                m.mobile(),
                m.email(),
                m.position(),
                Member.status(m.status(), m.departed()),
                m.mainDepartment(),
                tree.refs(memberships),
                m.directLeader(),
                m.alias(),
                m.telephone(),
                Instant.ofEpochMilli(at).toString()));
    }

    /** The department as the departments route shows it, without its member count and leaders. */
    static String department(String corpId, StoredDepartment d, DepartmentTree tree) throws java.sql.SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("corpId", corpId);
        out.put("id", d.id());
        out.put("name", d.name());
        out.put("parentId", d.parentId());
        out.put("order", d.order());
        out.put("path", tree.path(d.id()));
        return json(out);
    }

    private static String json(Object value) throws java.sql.SQLException {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new java.sql.SQLException("cannot write a change's data: " + e.getOriginalMessage(), e);
        }
    }
}
