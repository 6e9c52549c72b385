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
import java.util.function.Function;

/**
 * An immutable snapshot of one enterprise's organisation with the indexes the API needs.
 * Changes build a new snapshot, so readers never see a half-made change and answers can be
 * cached per snapshot. A member change makes it from the snapshot before, sharing all the
 * member did not touch (nothing here is changed once built); other changes build it in full.
 */
final class Org {
    private final TreeMap<Integer, SimDepartment> departments;
    private final LayeredMap<String, SimMember> membersByLowerId;
    private final List<SimMember> membersInOrder;
    private final LayeredMap<Integer, List<SimMember>> directMembers;
    /**
     * Per normalised mobile, the members holding it in userid order: the first answers a lookup by
     * mobile, the next takes over when it goes.
     */
    private final LayeredMap<String, List<SimMember>> mobileHolders;

    private final Map<Integer, List<Integer>> children;
    /** Per department, its members marked leader in it (department_leader), in userid order. */
    private final LayeredMap<Integer, List<String>> leaders;
    /**
     * Every userid is ASCII. Then a member's lower-cased userid finds exactly the members a
     * case-insensitive comparison would, and a member change can patch this snapshot instead of
     * rebuilding it.
     */
    private final boolean asciiIds;
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
        Map<String, SimMember> membersByLowerId = new HashMap<>();
        Map<Integer, List<SimMember>> directMembers = new HashMap<>();
        Map<String, List<SimMember>> mobileHolders = new HashMap<>();
        Map<Integer, List<String>> leaders = new HashMap<>();
        boolean ascii = true;
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
                mobileHolders.computeIfAbsent(mobile, k -> new ArrayList<>(1)).add(m);
            }
            ascii &= isAscii(m.userid());
        }
        this.membersByLowerId = LayeredMap.of(membersByLowerId);
        this.membersInOrder = Collections.unmodifiableList(ordered);
        this.directMembers = LayeredMap.of(directMembers);
        this.mobileHolders = LayeredMap.of(mobileHolders);
        this.leaders = LayeredMap.of(leaders);
        this.asciiIds = ascii;
    }

    /** A snapshot from indexes already made; none of them is changed afterwards. */
    private Org(
            TreeMap<Integer, SimDepartment> departments,
            Map<Integer, List<Integer>> children,
            LayeredMap<String, SimMember> membersByLowerId,
            List<SimMember> membersInOrder,
            LayeredMap<Integer, List<SimMember>> directMembers,
            LayeredMap<String, List<SimMember>> mobileHolders,
            LayeredMap<Integer, List<String>> leaders,
            boolean asciiIds) {
        this.departments = departments;
        this.children = children;
        this.membersByLowerId = membersByLowerId;
        this.membersInOrder = membersInOrder;
        this.directMembers = directMembers;
        this.mobileHolders = mobileHolders;
        this.leaders = leaders;
        this.asciiIds = asciiIds;
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
        List<String> list = leaders.get(departmentId);
        return list == null ? List.of() : list;
    }

    boolean hasChildren(int id) {
        return children.containsKey(id);
    }

    List<SimMember> directMembers(int departmentId) {
        List<SimMember> list = directMembers.get(departmentId);
        return list == null ? List.of() : list;
    }

    SimMember member(String userid) {
        return userid == null ? null : membersByLowerId.get(userid.toLowerCase(Locale.ROOT));
    }

    SimMember memberByMobile(String normalisedMobile) {
        List<SimMember> holders = mobileHolders.get(normalisedMobile);
        return holders == null ? null : holders.get(0);
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
        if (!asciiIds || !isAscii(member.userid())) {
            List<SimMember> members =
                    new ArrayList<>(rebuiltWithout(member.userid()).members());
            members.add(member);
            return new Org(departments.values(), members);
        }
        for (int dept : member.departments()) {
            if (!departments.containsKey(dept)) {
                throw new IllegalArgumentException("member " + member.userid() + " is in unknown department " + dept);
            }
        }
        return replaced(membersByLowerId.get(member.userid().toLowerCase(Locale.ROOT)), member);
    }

    Org withoutMember(String userid) {
        if (userid == null || !asciiIds || !isAscii(userid)) {
            return rebuiltWithout(userid);
        }
        return replaced(membersByLowerId.get(userid.toLowerCase(Locale.ROOT)), null);
    }

    /** {@link #withoutMember} by a full rebuild: for userids a lower-cased lookup may not match as WeCom does. */
    private Org rebuiltWithout(String userid) {
        List<SimMember> members = new ArrayList<>(membersInOrder);
        members.removeIf(m -> m.userid().equalsIgnoreCase(userid));
        return new Org(departments.values(), members);
    }

    /**
     * This org with {@code gone} (a member of it, or null) taken out and {@code added} (or null)
     * put in, made from this one: the departments are shared, the member indexes copied and only
     * the entries of these two members changed, each exactly as a full build would make it.
     */
    private Org replaced(SimMember gone, SimMember added) {
        if (gone == null && added == null) {
            return new Org(
                    departments,
                    children,
                    membersByLowerId,
                    membersInOrder,
                    directMembers,
                    mobileHolders,
                    leaders,
                    true);
        }
        Edit<String, SimMember> byLowerId = new Edit<>(membersByLowerId);
        List<SimMember> ordered = new ArrayList<>(membersInOrder);
        Edit<Integer, List<SimMember>> direct = new Edit<>(directMembers);
        Edit<Integer, List<String>> leading = new Edit<>(leaders);
        Edit<String, List<SimMember>> holders = new Edit<>(mobileHolders);
        if (gone != null) {
            byLowerId.put(gone.userid().toLowerCase(Locale.ROOT), null);
            ordered.remove(find(ordered, gone.userid(), SimMember::userid));
            for (int dept : gone.departments()) {
                patch(direct, dept, gone.userid(), null, 0, SimMember::userid);
                patch(leading, dept, gone.userid(), null, 0, id -> id);
            }
            String mobile = Mobiles.normalise(gone.mobile());
            if (mobile != null) {
                patch(holders, mobile, gone.userid(), null, 0, SimMember::userid);
            }
        }
        if (added != null) {
            byLowerId.put(added.userid().toLowerCase(Locale.ROOT), added);
            ordered.add(-find(ordered, added.userid(), SimMember::userid) - 1, added);
            List<Integer> depts = added.departments();
            for (int i = 0; i < depts.size(); i++) {
                int dept = depts.get(i);
                if (depts.indexOf(dept) != i) {
                    continue; // a department listed twice was done at its first place
                }
                int times = 0;
                int leaderTimes = 0;
                for (int k = i; k < depts.size(); k++) {
                    if (depts.get(k) == dept) {
                        times++;
                        leaderTimes += added.leaderIn().get(k) == 1 ? 1 : 0;
                    }
                }
                patch(direct, dept, null, added, times, SimMember::userid);
                patch(leading, dept, null, added.userid(), leaderTimes, id -> id);
            }
            String mobile = Mobiles.normalise(added.mobile());
            if (mobile != null) {
                patch(holders, mobile, null, added, 1, SimMember::userid);
            }
        }
        return new Org(
                departments,
                children,
                byLowerId.done(),
                Collections.unmodifiableList(ordered),
                direct.done(),
                holders.done(),
                leading.done(),
                true);
    }

    /** One index as one member change leaves it: the changed keys over the index as it was. */
    private static final class Edit<K, V> {
        private final LayeredMap<K, V> before;
        /** A key to its new value, or to null when it goes. */
        private final Map<K, V> changes = new HashMap<>();

        Edit(LayeredMap<K, V> before) {
            this.before = before;
        }

        V get(K key) {
            return changes.containsKey(key) ? changes.get(key) : before.get(key);
        }

        void put(K key, V value) {
            changes.put(key, value);
        }

        LayeredMap<K, V> done() {
            return before.with(changes);
        }
    }

    /**
     * Replaces the list under {@code key} by a copy without the entries of {@code goneId} (if
     * given) and with {@code times} copies of {@code added} at its place in userid order; no entry
     * when it ends up empty, as a full build makes none. The lists are in userid order, a member's
     * own entries next to each other; the lists of the snapshot before are never changed.
     */
    private static <K, E> void patch(
            Edit<K, List<E>> index, K key, String goneId, E added, int times, Function<E, String> idOf) {
        List<E> current = index.get(key);
        if (goneId != null && (current == null || find(current, goneId, idOf) < 0)) {
            return; // already done for an earlier place of the department, or not there at all
        }
        if (added != null && times == 0) {
            return;
        }
        List<E> list = current == null ? new ArrayList<>(times) : new ArrayList<>(current);
        if (goneId != null) {
            int at = find(list, goneId, idOf);
            int from = at;
            int to = at + 1;
            while (from > 0 && idOf.apply(list.get(from - 1)).equals(goneId)) {
                from--;
            }
            while (to < list.size() && idOf.apply(list.get(to)).equals(goneId)) {
                to++;
            }
            list.subList(from, to).clear();
        }
        if (added != null) {
            int at = -find(list, idOf.apply(added), idOf) - 1;
            list.addAll(at, Collections.nCopies(times, added));
        }
        index.put(key, list.isEmpty() ? null : list);
    }

    /** As {@link Collections#binarySearch}, by userid in a list in userid order. */
    private static <E> int find(List<E> list, String userid, Function<E, String> idOf) {
        int low = 0;
        int high = list.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = idOf.apply(list.get(mid)).compareTo(userid);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
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
