package io.orgsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A member change patches the snapshot instead of rebuilding it, and the events skip the members
 * both snapshots share: both must come out exactly as the full build and the whole diff did.
 */
class OrgIncrementalTest {
    /** Mobiles members share, some written differently but the same number, some not mobiles. */
    private static final List<String> MOBILES = List.of(
            "13800000001",
            "+86 138-0000-0001",
            "008613800000001",
            "13900000002",
            "+44 7700900123",
            "+447700900123",
            "13700000003",
            "not a mobile",
            "");

    private static final List<String> NAMES = List.of("张三", "李四", "王五");

    @Test
    void randomChangesGiveWhatAFullBuildGives() {
        for (long seed = 1; seed <= 25; seed++) {
            run(seed, OrgGenerator.generate("t" + seed, seed, 8, 60), 200);
        }
    }

    @Test
    void aSharedMobilePassesToTheNextMemberInUseridOrder() {
        Org org = new Org(
                OrgGenerator.generate("m", 1, 4, 0).departments(),
                List.of(member("b", "+86 138-0000-0001", 2), member("c", "13800000001", 3), member("d", "", 2)));
        assertEquals("b", org.memberByMobile("13800000001").userid());
        Org withA = checkedWith(org, member("a", "008613800000001", 3), Map.of());
        assertEquals("a", withA.memberByMobile("13800000001").userid());
        Org withoutA = checked(withA, withA.withoutMember("A"), withoutLegacy(withA, "A"), Map.of());
        assertEquals("b", withoutA.memberByMobile("13800000001").userid());
        Org bMoved = checkedWith(withoutA, member("b", "13900000002", 2), Map.of());
        assertEquals("c", bMoved.memberByMobile("13800000001").userid());
        assertEquals("b", bMoved.memberByMobile("13900000002").userid());
        Org cGone = checked(bMoved, bMoved.withoutMember("c"), withoutLegacy(bMoved, "c"), Map.of());
        assertNull(cGone.memberByMobile("13800000001"));
    }

    @Test
    void aMemberInAnUnknownDepartmentIsRefusedAsBefore() {
        Org org = OrgGenerator.generate("u", 2, 4, 10);
        SimMember stray = member("stray", "", 99);
        IllegalArgumentException expected = assertThrows(IllegalArgumentException.class, () -> withLegacy(org, stray));
        IllegalArgumentException actual = assertThrows(IllegalArgumentException.class, () -> org.withMember(stray));
        assertEquals(expected.getMessage(), actual.getMessage());
    }

    /** A userid a lower-cased lookup would not match as a case-insensitive comparison does. */
    @Test
    void nonAsciiUseridsChangeAsBefore() {
        Org org = new Org(
                OrgGenerator.generate("n", 1, 3, 0).departments(),
                List.of(member("sam", "13800000001", 2), member("\u017Fam", "13800000001", 3), member("tom", "", 2)));
        Org without = checked(org, org.withoutMember("SAM"), withoutLegacy(org, "SAM"), Map.of());
        assertEquals(
                List.of("tom"),
                without.members().stream().map(SimMember::userid).toList());
        checkedWith(org, member("Sam", "", 3), Map.of());
        Org ascii = checked(org, org.withoutMember("\u017Fam"), withoutLegacy(org, "\u017Fam"), Map.of());
        checkedWith(ascii, member("SAM", "13800000001", 3), Map.of());
    }

    private void run(long seed, Org start, int steps) {
        Random r = new Random(seed);
        Org org = start;
        for (int step = 0; step < steps; step++) {
            List<SimMember> members = org.members();
            SimMember some = members.isEmpty() ? null : members.get(r.nextInt(members.size()));
            int op = r.nextInt(100);
            if (op < 25 || some == null) {
                org = checkedWith(org, randomMember(r, org, randomId(r)), Map.of());
            } else if (op < 55) {
                org = checkedWith(org, changed(r, org, some), Map.of());
            } else if (op < 72) {
                String id = r.nextBoolean() ? some.userid() : some.userid().toUpperCase(Locale.ROOT);
                org = checked(org, org.withoutMember(id), withoutLegacy(org, id), Map.of());
            } else if (op < 77) {
                String id = randomId(r);
                org = checked(org, org.withoutMember(id), withoutLegacy(org, id), Map.of());
            } else if (op < 83) {
                String other = r.nextBoolean()
                        ? some.userid().toUpperCase(Locale.ROOT)
                        : some.userid().toLowerCase(Locale.ROOT);
                org = checkedWith(org, some.withUserid(other), Map.of());
            } else if (op < 91) {
                String to = randomId(r);
                if (org.member(to) == null) {
                    SimMember renamed = some.withUserid(to);
                    Org expected = withLegacy(withoutLegacy(org, some.userid()), renamed);
                    org = checked(
                            org,
                            org.withoutMember(some.userid()).withMember(renamed),
                            expected,
                            Map.of(some.userid(), to));
                }
            } else if (op < 95) {
                SimMember stray = randomMember(r, org, some.userid());
                List<Integer> depts = new ArrayList<>(stray.departments());
                depts.set(r.nextInt(depts.size()), 500 + r.nextInt(5));
                SimMember bad = new SimMember(
                        stray.userid(),
                        stray.name(),
                        depts,
                        stray.orders(),
                        stray.leaderIn(),
                        stray.directLeader(),
                        stray.position(),
                        stray.mobile(),
                        stray.gender(),
                        stray.email(),
                        stray.bizMail(),
                        stray.avatar(),
                        stray.telephone(),
                        stray.alias(),
                        stray.status(),
                        stray.mainDepartment(),
                        stray.address(),
                        stray.outsideAppRange());
                Org before = org;
                String expected = assertThrows(IllegalArgumentException.class, () -> withLegacy(before, bad))
                        .getMessage();
                assertEquals(
                        expected,
                        assertThrows(IllegalArgumentException.class, () -> before.withMember(bad))
                                .getMessage());
            } else if (op < 98) {
                // a department change still rebuilds in full; member changes go on from that build
                List<SimDepartment> depts = new ArrayList<>(org.departments());
                int parent = depts.get(r.nextInt(depts.size())).id();
                org = org.withDepartment(new SimDepartment(org.nextDepartmentId(), "新部门", "New", parent, 1));
            } else {
                Org current = org;
                List<SimDepartment> leaves = current.departments().stream()
                        .filter(d -> d.id() != 1 && !current.hasChildren(d.id()))
                        .toList();
                if (!leaves.isEmpty()) {
                    org = org.withoutDepartment(
                            leaves.get(r.nextInt(leaves.size())).id());
                }
            }
        }
    }

    /** The change made both ways; the snapshots and the events they give must agree. */
    private Org checkedWith(Org before, SimMember member, Map<String, String> renamed) {
        return checked(before, before.withMember(member), withLegacy(before, member), renamed);
    }

    private Org checked(Org before, Org actual, Org expected, Map<String, String> renamed) {
        assertSameIndexes(before, expected, actual);
        for (boolean full : new boolean[] {true, false}) {
            for (boolean visible : new boolean[] {true, false}) {
                assertEquals(
                        LegacyOrgChanges.between(before, expected, renamed, full, visible),
                        OrgChanges.between(before, actual, renamed, full, visible));
                // and from a snapshot that shares no index with the one before
                assertEquals(
                        LegacyOrgChanges.between(before, expected, renamed, full, visible),
                        OrgChanges.between(before, expected, renamed, full, visible));
            }
        }
        return actual;
    }

    /** Org.withMember as it was: everything rebuilt. */
    private static Org withLegacy(Org org, SimMember member) {
        List<SimMember> members =
                new ArrayList<>(withoutLegacy(org, member.userid()).members());
        members.add(member);
        return new Org(org.departments(), members);
    }

    /** Org.withoutMember as it was: everything rebuilt. */
    private static Org withoutLegacy(Org org, String userid) {
        List<SimMember> members = new ArrayList<>(org.members());
        members.removeIf(m -> m.userid().equalsIgnoreCase(userid));
        return new Org(org.departments(), members);
    }

    private static void assertSameIndexes(Org before, Org expected, Org actual) {
        assertEquals(expected.members(), actual.members());
        assertEquals(expected.memberCount(), actual.memberCount());
        assertEquals(List.copyOf(expected.departments()), List.copyOf(actual.departments()));
        assertEquals(expected.nextDepartmentId(), actual.nextDepartmentId());
        Set<Integer> deptIds = new LinkedHashSet<>(List.of(0, 1, 999));
        expected.departments().forEach(d -> deptIds.add(d.id()));
        before.departments().forEach(d -> deptIds.add(d.id()));
        for (int id : deptIds) {
            assertEquals(expected.department(id), actual.department(id));
            assertEquals(expected.directMembers(id), actual.directMembers(id), "members of " + id);
            assertEquals(expected.leaders(id), actual.leaders(id), "leaders of " + id);
            assertEquals(expected.hasChildren(id), actual.hasChildren(id));
            assertEquals(expected.subtree(id), actual.subtree(id));
        }
        Set<String> ids = new LinkedHashSet<>();
        Set<String> mobiles = new LinkedHashSet<>();
        for (Org o : List.of(before, expected)) {
            for (SimMember m : o.members()) {
                ids.add(m.userid());
                ids.add(m.userid().toUpperCase(Locale.ROOT));
                ids.add(m.userid().toLowerCase(Locale.ROOT));
                mobiles.add(Mobiles.normalise(m.mobile()));
            }
        }
        ids.add("nobody");
        MOBILES.forEach(m -> mobiles.add(Mobiles.normalise(m)));
        mobiles.remove(null);
        assertNull(actual.member(null));
        for (String id : ids) {
            assertEquals(expected.member(id), actual.member(id), "member " + id);
        }
        for (String mobile : mobiles) {
            assertEquals(expected.memberByMobile(mobile), actual.memberByMobile(mobile), "mobile " + mobile);
        }
    }

    /** Userids that sort between and around each other, some equal but for case. */
    private static String randomId(Random r) {
        String[] stems = {"u", "U", "ab", "aB", "a.b", "z_", "li-", "W@x"};
        return stems[r.nextInt(stems.length)] + r.nextInt(25);
    }

    private static SimMember randomMember(Random r, Org org, String userid) {
        List<Integer> known = org.departments().stream().map(SimDepartment::id).collect(Collectors.toList());
        int count = 1 + r.nextInt(3);
        List<Integer> depts = new ArrayList<>();
        List<Integer> orders = new ArrayList<>();
        List<Integer> leaders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // now and then the same department twice, as nothing forbids it
            depts.add(i > 0 && r.nextInt(10) == 0 ? depts.get(0) : known.get(r.nextInt(known.size())));
            orders.add(r.nextInt(100));
            leaders.add(r.nextInt(3) == 0 ? 1 : 0);
        }
        return new SimMember(
                userid,
                NAMES.get(r.nextInt(NAMES.size())),
                depts,
                orders,
                leaders,
                r.nextBoolean() ? List.of() : List.of(randomId(r)),
                r.nextBoolean() ? "工程师" : "",
                MOBILES.get(r.nextInt(MOBILES.size())),
                r.nextBoolean() ? "1" : "2",
                userid + "@corp.example.com",
                "",
                "",
                "",
                r.nextBoolean() ? "alias" : "",
                SimMember.STATUSES.get(r.nextInt(SimMember.STATUSES.size())),
                depts.get(r.nextInt(depts.size())),
                "",
                r.nextInt(6) == 0);
    }

    /** The member changed: now not at all (an equal copy), now its name only, now anything. */
    private static SimMember changed(Random r, Org org, SimMember m) {
        int how = r.nextInt(10);
        if (how < 2) {
            return m.withUserid(m.userid());
        }
        if (how < 4) {
            return m.withDirectLeader(List.of(randomId(r)));
        }
        return randomMember(r, org, m.userid());
    }

    private static SimMember member(String userid, String mobile, int department) {
        return new SimMember(
                userid,
                userid,
                List.of(department),
                List.of(0),
                List.of(1),
                List.of(),
                "",
                mobile,
                "1",
                "",
                "",
                "",
                "",
                "",
                1,
                department,
                "",
                false);
    }

    /** OrgChanges as it was before it skipped shared members: every member looked up in the other snapshot. */
    private static final class LegacyOrgChanges {
        private LegacyOrgChanges() {}

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
            for (SimMember m : after.members()) {
                String oldId = renamedBack.getOrDefault(m.userid(), m.userid());
                SimMember old = before.member(oldId);
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
            for (SimMember m : before.members()) {
                if (!m.outsideAppRange() && after.member(m.userid()) == null && !renamed.containsKey(m.userid())) {
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
}
