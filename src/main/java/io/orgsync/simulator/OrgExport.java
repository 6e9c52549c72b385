package io.orgsync.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An enterprise's org as the control routes show it: the whole truth, every field the API may
 * hide included, so tests can compare what a client stored against it.
 */
final class OrgExport {
    private OrgExport() {}

    static Map<String, Object> of(SimCorp corp) {
        Org org = corp.org();
        List<Map<String, Object>> departments = new ArrayList<>();
        org.departments().forEach(d -> departments.add(department(d)));
        List<Map<String, Object>> members = new ArrayList<>();
        org.members().forEach(m -> members.add(member(m)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("corpId", corp.corpId);
        out.put("mobileVisible", corp.mobileVisible);
        out.put("departments", departments);
        out.put("members", members);
        return out;
    }

    static Map<String, Object> department(SimDepartment d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("name_en", d.nameEn());
        m.put("parentid", d.parentId());
        m.put("order", d.order());
        return m;
    }

    static Map<String, Object> member(SimMember m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userid", m.userid());
        out.put("name", m.name());
        out.put("mobile", m.mobile());
        out.put("department", m.departments());
        out.put("order", m.orders());
        out.put("is_leader_in_dept", m.leaderIn());
        out.put("main_department", m.mainDepartment());
        out.put("status", m.status());
        out.put("position", m.position());
        out.put("email", m.email());
        out.put("gender", m.gender());
        out.put("telephone", m.telephone());
        out.put("alias", m.alias());
        out.put("outsideAppRange", m.outsideAppRange());
        return out;
    }
}
