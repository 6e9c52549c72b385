package io.orgsync.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable snapshot of one enterprise's organisation with the indexes the API needs.
 * Changes build a new snapshot, so readers never see a half-made change and answers can be
 * cached per snapshot.
 */
final class Org {
    private final TreeMap<Integer, SimDepartment> departments;
    private final Map<String, SimMember> membersByLowerId;
    private final List<SimMember> membersInOrder;
    private final Map<Integer, List<SimMember>> directMembers;
    private final Map<String, SimMember> byMobile;
    private final Map<Integer, List<Integer>> children;
    /** Per department, its members marked leader in it (department_leader), in userid order. */
    private final Map<Integer, List<String>> leaders;
    /** Serialised answers, valid as long as this snapshot is current. */
    final Map<String, byte[]> answers = new ConcurrentHashMap<>();

    Org(Collection<SimDepartment> departmentList, Collection<SimMember> memberList) {
        this.departments = new TreeMap<>();
        for (SimDepartment d : departmentList) {
            departments.put(d.id(), d);
        }
        if (!departments.containsKey(1) || departments.get(1).parentId() != 0) {
            throw new IllegalArgumentException("the root department must have id 1 and parent 0");
        }
        this.children = new HashMap<>();
        for (SimDepartment d : departments.values()) {
            if (d.id() != 1) {
                if (!departments.containsKey(d.parentId())) {
                    throw new IllegalArgumentException("department " + d.id() + " has unknown parent " + d.parentId());
                }
                children.computeIfAbsent(d.parentId(), k -> new ArrayList<>()).add(d.id());
            }
        }
        this.membersByLowerId = new HashMap<>();
        this.directMembers = new HashMap<>();
        this.byMobile = new HashMap<>();
        this.leaders = new HashMap<>();
        List<SimMember> ordered = new ArrayList<>(memberList);
        ordered.sort((a, b) -> a.userid().compareTo(b.userid()));
        for (SimMember m : ordered) {
            if (membersByLowerId.put(m.userid().toLowerCase(Locale.ROOT), m) != null) {
                throw new IllegalArgumentException("duplicate userid " + m.userid());
            }
            for (int dept : m.departments()) {
                if (!departments.containsKey(dept)) {
                    throw new IllegalArgumentException("member " + m.userid() + " is in unknown department " + dept);
                }
                directMembers.computeIfAbsent(dept, k -> new ArrayList<>()).add(m);
            }
            for (int i = 0; i < m.departments().size(); i++) {
                if (m.leaderIn().get(i) == 1) {
                    leaders.computeIfAbsent(m.departments().get(i), k -> new ArrayList<>())
                            .add(m.userid());
                }
            }
            String mobile = Mobiles.normalise(m.mobile());
            if (mobile != null) {
                byMobile.putIfAbsent(mobile, m);
            }
        }
        this.membersInOrder = Collections.unmodifiableList(ordered);
    }

    SimDepartment department(int id) {
        return departments.get(id);
    }

    Collection<SimDepartment> departments() {
        return Collections.unmodifiableCollection(departments.values());
    }

    /** The department and all below it, parents before children. */
    List<SimDepartment> subtree(int id) {
        List<SimDepartment> out = new ArrayList<>();
        if (!departments.containsKey(id)) {
            return out;
        }
        List<Integer> queue = new ArrayList<>(List.of(id));
        for (int i = 0; i < queue.size(); i++) {
            int current = queue.get(i);
            out.add(departments.get(current));
            queue.addAll(children.getOrDefault(current, List.of()));
        }
        return out;
    }

    /** The department's leaders: its members marked {@code is_leader_in_dept} in it. */
    List<String> leaders(int departmentId) {
        return leaders.getOrDefault(departmentId, List.of());
    }

    boolean hasChildren(int id) {
        return children.containsKey(id);
    }

    List<SimMember> directMembers(int departmentId) {
        return directMembers.getOrDefault(departmentId, List.of());
    }

    SimMember member(String userid) {
        return userid == null ? null : membersByLowerId.get(userid.toLowerCase(Locale.ROOT));
    }

    SimMember memberByMobile(String normalisedMobile) {
        return byMobile.get(normalisedMobile);
    }

    List<SimMember> members() {
        return membersInOrder;
    }

    int memberCount() {
        return membersInOrder.size();
    }

    /** The id a new department gets when none is given: one above the highest. */
    int nextDepartmentId() {
        return departments.lastKey() + 1;
    }

    /** This org with the member added, or put in place of the one with its userid. */
    Org withMember(SimMember member) {
        List<SimMember> members = new ArrayList<>(withoutMember(member.userid()).members());
        members.add(member);
        return new Org(departments.values(), members);
    }

    Org withoutMember(String userid) {
        List<SimMember> members = new ArrayList<>(membersInOrder);
        members.removeIf(m -> m.userid().equalsIgnoreCase(userid));
        return new Org(departments.values(), members);
    }

    /** This org with the department added, or put in place of the one with its id. */
    Org withDepartment(SimDepartment department) {
        Map<Integer, SimDepartment> changed = new TreeMap<>(departments);
        changed.put(department.id(), department);
        return new Org(changed.values(), membersInOrder);
    }

    /**
     * This org without the department, which must have no sub-departments. Members only in it
     * move up to its parent, as WeCom requires.
     */
    Org withoutDepartment(int id) {
        int parent = departments.get(id).parentId();
        Map<Integer, SimDepartment> remaining = new TreeMap<>(departments);
        remaining.remove(id);
        List<SimMember> members = new ArrayList<>();
        for (SimMember m : membersInOrder) {
            members.add(m.inDepartment(id) ? m.withoutDepartment(id, parent) : m);
        }
        return new Org(remaining.values(), members);
    }
}
