package io.orgsync.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The contact-change events WeCom sends for the difference between two snapshots of an org
 * (docs/upstream.md, "WeCom contact-change callbacks"): new departments first, then members, then departments removed (members
 * leave a department before it can go). {@code full}: the fields as before 2022-08-15, an
 * update carrying only what changed; otherwise only the ids, and no event for a rename of a department.
 */
final class OrgChanges {
    private OrgChanges() {}

    /** The events, each as its fields after the common ones; {@code renamed}: old userid to new, for this change. */
    static List<Map<String, String>> between(
            Org before, Org after, Map<String, String> renamed, boolean full, boolean mobileVisible) {
        List<Map<String, String>> out = new ArrayList<>();
        for (SimDepartment d : after.departments()) {
            SimDepartment old = before.department(d.id());
            if (old == null) {
                Map<String, String> e = event("create_party");
                e.put("Id", String.valueOf(d.id()));
                if (full) {
                    e.put("Name", d.name());
                }
                e.put("ParentId", String.valueOf(d.parentId()));
                if (full) {
                    e.put("Order", String.valueOf(d.order()));
                }
                out.add(e);
            } else if (!old.equals(d)) {
                boolean moved = old.parentId() != d.parentId();
                if (!full && !moved) {
                    continue;
                }
                Map<String, String> e = event("update_party");
                e.put("Id", String.valueOf(d.id()));
                if (full && !old.name().equals(d.name())) {
                    e.put("Name", d.name());
                }
                if (moved) {
                    e.put("ParentId", String.valueOf(d.parentId()));
                }
                if (full && old.order() != d.order()) {
                    e.put("Order", String.valueOf(d.order()));
                }
                out.add(e);
            }
        }
        Map<String, String> renamedBack =
                renamed.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        // Both member lists are in userid order: walk them side by side to find each member's
        // namesake in the other snapshot without a lookup (most often the very same instance, as
        // a change shares the members it leaves alone); only a member without one is looked up,
        // case-insensitively, as before.
        List<SimMember> previous = before.members();
        int p = 0;
        for (SimMember m : after.members()) {
            SimMember namesake = null;
            if (p < previous.size() && previous.get(p) == m) {
                namesake = m;
                p++;
            } else {
                while (p < previous.size() && previous.get(p).userid().compareTo(m.userid()) < 0) {
                    p++;
                }
                if (p < previous.size() && previous.get(p).userid().equals(m.userid())) {
                    namesake = previous.get(p);
                    p++;
                }
            }
            String oldId = renamedBack.isEmpty() ? m.userid() : renamedBack.getOrDefault(m.userid(), m.userid());
            if (namesake == m && oldId.equals(m.userid())) {
                continue; // the same member, unchanged: no event
            }
            SimMember old = namesake != null && oldId.equals(m.userid()) ? namesake : before.member(oldId);
            if (m.outsideAppRange() && (old == null || old.outsideAppRange())) {
                continue;
            }
            if (old == null) {
                Map<String, String> e = event("create_user");
                e.put("UserID", m.userid());
                if (full) {
                    allFields(e, m, mobileVisible);
                } else {
                    e.put("Department", join(m.departments()));
                }
                out.add(e);
            } else if (!old.equals(m) || !oldId.equals(m.userid())) {
                Map<String, String> e = event("update_user");
                e.put("UserID", oldId);
                if (!oldId.equals(m.userid())) {
                    e.put("NewUserID", m.userid());
                }
                if (full) {
                    changedFields(e, old, m, mobileVisible);
                } else {
                    e.put("Department", join(m.departments()));
                }
                out.add(e);
            }
        }
        List<SimMember> next = after.members();
        int n = 0;
        for (SimMember m : before.members()) {
            boolean stays = false;
            if (n < next.size() && next.get(n) == m) {
                stays = true;
                n++;
            } else {
                while (n < next.size() && next.get(n).userid().compareTo(m.userid()) < 0) {
                    n++;
                }
                if (n < next.size() && next.get(n).userid().equals(m.userid())) {
                    stays = true;
                    n++;
                }
            }
            if (!m.outsideAppRange()
                    && !stays
                    && after.member(m.userid()) == null
                    && !renamed.containsKey(m.userid())) {
                Map<String, String> e = event("delete_user");
                e.put("UserID", m.userid());
                out.add(e);
            }
        }
        for (SimDepartment d : before.departments()) {
            if (after.department(d.id()) == null) {
                Map<String, String> e = event("delete_party");
                e.put("Id", String.valueOf(d.id()));
                out.add(e);
            }
        }
        return out;
    }

    private static Map<String, String> event(String changeType) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("ChangeType", changeType);
        return e;
    }

    private static void allFields(Map<String, String> e, SimMember m, boolean visible) {
        e.put("Name", m.name());
        e.put("Department", join(m.departments()));
        e.put("MainDepartment", String.valueOf(m.mainDepartment()));
        e.put("IsLeaderInDept", join(m.leaderIn()));
        e.put("DirectLeader", String.join(",", m.directLeader()));
        e.put("Position", m.position());
        if (visible) {
            e.put("Mobile", m.mobile());
            e.put("Gender", m.gender());
            e.put("Email", m.email());
            e.put("BizMail", m.bizMail());
            e.put("Avatar", m.avatar());
            e.put("Address", m.address());
        }
        e.put("Status", String.valueOf(m.status()));
        e.put("Alias", m.alias());
        e.put("Telephone", m.telephone());
    }

    private static void changedFields(Map<String, String> e, SimMember old, SimMember m, boolean visible) {
        changed(e, "Name", old.name(), m.name());
        if (!old.departments().equals(m.departments())) {
            e.put("Department", join(m.departments()));
            e.put("IsLeaderInDept", join(m.leaderIn()));
        }
        if (old.mainDepartment() != m.mainDepartment() || !old.departments().equals(m.departments())) {
            e.put("MainDepartment", String.valueOf(m.mainDepartment()));
        }
        changed(e, "DirectLeader", String.join(",", old.directLeader()), String.join(",", m.directLeader()));
        changed(e, "Position", old.position(), m.position());
        if (visible) {
            changed(e, "Mobile", old.mobile(), m.mobile());
            changed(e, "Gender", old.gender(), m.gender());
            changed(e, "Email", old.email(), m.email());
            changed(e, "BizMail", old.bizMail(), m.bizMail());
            changed(e, "Avatar", old.avatar(), m.avatar());
            changed(e, "Address", old.address(), m.address());
        }
        changed(e, "Status", String.valueOf(old.status()), String.valueOf(m.status()));
        changed(e, "Alias", old.alias(), m.alias());
        changed(e, "Telephone", old.telephone(), m.telephone());
    }

    private static void changed(Map<String, String> e, String field, String before, String after) {
        if (!Objects.equals(before, after)) {
            e.put(field, after);
        }
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
