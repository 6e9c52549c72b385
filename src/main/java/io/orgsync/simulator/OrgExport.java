package io.orgsync.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An enterprise's org as the control routes show it: the whole truth, every field the API may
 * hide included, so tests can compare what a client stored against it; the corp's export also
 * says of each department and member whether its app sees it ({@code appSees}: within the app's
 * range and, for a member, not flagged {@code outsideAppRange}).
 */
final class OrgExport {
    private OrgExport() {}

    static Map<String, Object> of(SimCorp corp) {
        Org org = corp.org();
        CorpSetup setup = corp.setup;
        List<Map<String, Object>> departments = new ArrayList<>();
        for (SimDepartment d : org.departments()) {
            Map<String, Object> shown = department(d);
            shown.put("department_leader", org.leaders(d.id()));
            shown.put("appSees", setup.appRange().seesDepartment(org, d.id()));
            departments.add(shown);
        }
        List<Map<String, Object>> members = new ArrayList<>();
        for (SimMember m : org.members()) {
            Map<String, Object> shown = member(m);
            shown.put("appSees", !m.outsideAppRange() && setup.appRange().seesMember(org, m));
            members.add(shown);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("corpId", corp.corpId);
        out.putAll(setup(setup));
        out.put("departments", departments);
        out.put("members", members);
        return out;
    }

    /** A set-up as the control routes show it: whether there is a contact-sync secret, never the secret. */
    static Map<String, Object> setup(CorpSetup setup) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mobileVisible", setup.mobileVisible());
        out.put("hasContactSecret", setup.contactSecret() != null);
        out.put("newIp", setup.newIp());
        out.put("appRange", setup.appRange());
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
        out.put("direct_leader", m.directLeader());
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
