package io.orgsync.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.member.StoredDepartment;
import io.orgsync.member.StoredMember;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which fields a change names, and what it touches: the pure rules of a change record. */
class ChangeDataTest {
    private static StoredMember member(
            String userid, String name, String mobile, Set<Long> departments, Set<Long> led) {
        return new StoredMember(
                userid,
                name,
                mobile,
                "sync",
                null,
                null,
                1,
                departments.stream().min(Long::compare).orElseThrow(),
                false,
                departments,
                led,
                null,
                null,
                null);
    }

    @Test
    void anUpdateNamesTheFieldsTheReadApiShowsDifferently() {
        StoredMember before = member("u1", "甲", "13800000001", Set.of(1L), Set.of());
        StoredMember after = member("u1", "乙", "13800000002", Set.of(1L, 2L), Set.of());
        assertEquals(List.of("name", "mobile", "departments"), ChangeData.changedFields(before, after));
    }

    @Test
    void onlyTheLeaderFlagChangedIsIsLeader() {
        StoredMember before = member("u1", "甲", null, Set.of(1L), Set.of());
        StoredMember after = member("u1", "甲", null, Set.of(1L), Set.of(1L));
        assertEquals(List.of("isLeader"), ChangeData.changedFields(before, after));
    }

    @Test
    void whereTheMobileCameFromIsNoFieldOfTheApi() {
        StoredMember before = member("u1", "甲", "13800000001", Set.of(1L), null);
        StoredMember after = before.withLearnedMobile("13800000001");
        assertEquals(List.of(), ChangeData.changedFields(before, after));
    }

    @Test
    void aMemberChangeTouchesBothStatesMobilesDepartmentsAndNames() {
        StoredMember before = member("u1", "甲", "13800000001", Set.of(1L), null);
        StoredMember after = member("u1", "乙", null, Set.of(2L), null);
        OrgChange.Touched t = ChangeData.touched(before, after);
        assertEquals(Set.of("u1"), t.userids());
        assertEquals(Set.of("13800000001"), t.mobiles());
        assertEquals(Set.of(1L, 2L), t.departments());
        assertEquals(Set.of("甲", "乙"), t.names());
        assertTrue(!t.tree());
    }

    @Test
    void aDepartmentChangeTouchesTheTreeAndBothParents() {
        OrgChange.Touched t =
                ChangeData.touched(new StoredDepartment(5, "旧", 1, 0), new StoredDepartment(5, "新", 2, 0));
        assertTrue(t.tree());
        assertEquals(Set.of(5L, 1L, 2L), t.departments());
        assertEquals(
                List.of("name", "parentId"),
                ChangeData.changedFields(new StoredDepartment(5, "旧", 1, 0), new StoredDepartment(5, "新", 2, 0)));
    }
}
