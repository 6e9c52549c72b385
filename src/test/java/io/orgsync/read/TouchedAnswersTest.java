package io.orgsync.read;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.member.DepartmentTree;
import io.orgsync.member.StoredDepartment;
import io.orgsync.org.OrgChange;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which cached list answers a change makes wrong, and which it leaves alone. */
class TouchedAnswersTest {
    private static final String CORP = "ww-touch";
    /** 1 at the top, 2 below it, 3 below 2; 4 beside 2. */
    private static final DepartmentTree TREE = DepartmentTree.of(List.of(
            new StoredDepartment(1, "总部", 0, 0),
            new StoredDepartment(2, "研发", 1, 0),
            new StoredDepartment(3, "平台", 2, 0),
            new StoredDepartment(4, "销售", 1, 1)));

    private static OrgChange member(OrgChange.Kind kind, List<String> fields, Set<Long> departments) {
        return new OrgChange(
                CORP,
                1,
                kind,
                "zhangsan",
                fields,
                OrgChange.Source.SYNC,
                0,
                new OrgChange.Touched(Set.of("zhangsan"), Set.of("13800000001"), departments, Set.of("张三"), false),
                "{}");
    }

    private static final OrgChange RENAMED = member(OrgChange.Kind.MEMBER_UPDATED, List.of("name"), Set.of(3L));

    @Test
    void aSearchIsTouchedWhenTheNameOrUseridStartsWithItsPrefix() {
        assertTrue(TouchedAnswers.touches(RENAMED, AnswerKey.search(CORP, "张", false, 50, null), TREE));
        assertTrue(TouchedAnswers.touches(RENAMED, AnswerKey.search(CORP, "zhang", true, 50, "a"), TREE));
        assertFalse(TouchedAnswers.touches(RENAMED, AnswerKey.search(CORP, "李", false, 50, null), TREE));
    }

    @Test
    void aDepartmentListIsTouchedForTheMembersDepartmentsAndAboveThemWhenRecursive() {
        assertTrue(TouchedAnswers.touches(RENAMED, AnswerKey.department(CORP, 3, false, false, 50, null), TREE));
        assertTrue(TouchedAnswers.touches(RENAMED, AnswerKey.department(CORP, 1, true, false, 50, null), TREE));
        assertFalse(TouchedAnswers.touches(RENAMED, AnswerKey.department(CORP, 1, false, false, 50, null), TREE));
        assertFalse(TouchedAnswers.touches(RENAMED, AnswerKey.department(CORP, 4, true, false, 50, null), TREE));
    }

    @Test
    void withoutATreeEveryRecursiveListMayHoldTheMember() {
        assertTrue(TouchedAnswers.touches(RENAMED, AnswerKey.department(CORP, 4, true, false, 50, null), null));
    }

    @Test
    void theTreeWithCountsIsTouchedByJoinersLeaversAndMovesNotByARename() {
        AnswerKey departments = AnswerKey.departments(CORP, false);
        assertFalse(TouchedAnswers.touches(RENAMED, departments, TREE));
        assertTrue(TouchedAnswers.touches(
                member(OrgChange.Kind.MEMBER_CREATED, List.of(), Set.of(3L)), departments, TREE));
        assertTrue(TouchedAnswers.touches(
                member(OrgChange.Kind.MEMBER_DEPARTED, List.of(), Set.of(3L)), departments, TREE));
        assertTrue(TouchedAnswers.touches(
                member(OrgChange.Kind.MEMBER_UPDATED, List.of("departments"), Set.of(3L, 4L)), departments, TREE));
    }

    @Test
    void aDepartmentChangeTouchesEveryAnswerButTheKeptTrees() {
        OrgChange moved = new OrgChange(
                CORP,
                2,
                OrgChange.Kind.DEPARTMENT_UPDATED,
                "3",
                List.of("parentId"),
                OrgChange.Source.EVENT,
                0,
                new OrgChange.Touched(Set.of(), Set.of(), Set.of(3L, 2L, 4L), Set.of(), true),
                "{}");
        assertTrue(TouchedAnswers.touches(moved, AnswerKey.search(CORP, "李", false, 50, null), TREE));
        assertTrue(TouchedAnswers.touches(moved, AnswerKey.mobile(CORP, "13900000000"), TREE));
        assertFalse(TouchedAnswers.touches(moved, AnswerKey.tree(CORP, 7), TREE));
    }
}
