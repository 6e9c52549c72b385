package io.orgsync.simulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An app's visible range (应用可见范围, docs/upstream.md, "WeCom set-ups"): departments, each with every
 * department below it, and single members. Neither given is the whole company, the default.
 */
record AppRange(List<Integer> departments, List<String> users) {
    static final AppRange WHOLE = new AppRange(List.of(), List.of());

    AppRange {
        departments = departments == null ? List.of() : List.copyOf(departments);
        users = users == null ? List.of() : List.copyOf(users);
        for (int id : departments) {
            if (id < 1) {
                throw new IllegalArgumentException("appRange.departments must be department ids of 1 or more");
            }
        }
        users.forEach(u -> Fields.id("appRange.users", u));
    }

    boolean whole() {
        return departments.isEmpty() && users.isEmpty();
    }

    /** Refuses a range naming a department or member the org does not have. */
    void checkAgainst(Org org) {
        for (int id : departments) {
            if (org.department(id) == null) {
                throw new IllegalArgumentException("appRange.departments: no department " + id);
            }
        }
        for (String userid : users) {
            if (org.member(userid) == null) {
                throw new IllegalArgumentException("appRange.users: no member " + userid);
            }
        }
    }

    /** The department is in the range: it or a department above it was given. */
    boolean seesDepartment(Org org, int id) {
        if (whole()) {
            return true;
        }
        // a department deleted since the range was set stops the walk: nothing below it is left
        for (SimDepartment d = org.department(id); d != null; d = org.department(d.parentId())) {
            if (departments.contains(d.id())) {
                return true;
            }
        }
        return false;
    }

    /** The member was given by userid, or is in a department of the range. */
    boolean seesMember(Org org, SimMember m) {
        if (whole()) {
            return true;
        }
        for (String userid : users) {
            if (userid.toLowerCase(Locale.ROOT).equals(m.userid().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return m.departments().stream().anyMatch(d -> seesDepartment(org, d));
    }

    /** The departments the range shows, each given one with its subtree, parents before children. */
    List<SimDepartment> visibleDepartments(Org org) {
        if (whole()) {
            return org.subtree(1);
        }
        Set<SimDepartment> out = new LinkedHashSet<>();
        departments.stream().sorted().forEach(id -> out.addAll(org.subtree(id)));
        return new ArrayList<>(out);
    }
}
