package io.orgsync.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Paths, subtrees and display order of an enterprise's departments, including data a sync never writes. */
class DepartmentTreeTest {
    private static StoredDepartment dept(long id, String name, long parent, long order) {
        return new StoredDepartment(id, name, parent, order);
    }

    private static List<Long> ids(List<StoredDepartment> departments) {
        return departments.stream().map(StoredDepartment::id).toList();
    }

    /** 1 Acme / 2 Sales (order 2), 3 R&D (order 1) / 4 Backend under R&D. */
    private static final DepartmentTree ACME = DepartmentTree.of(
            List.of(dept(1, "Acme", 0, 0), dept(2, "Sales", 1, 2), dept(3, "R&D", 1, 1), dept(4, "Backend", 3, 0)));

    @Test
    void aPathJoinsTheNamesFromTheRootDown() {
        assertEquals("Acme/R&D/Backend", ACME.path(4));
        assertEquals("Acme", ACME.path(1));
    }

    @Test
    void anUnknownDepartmentHasNoPath() {
        assertNull(ACME.path(99));
        assertTrue(ACME.department(99).isEmpty());
    }

    @Test
    void siblingsComeInTheirOrderThenParentsBeforeChildren() {
        assertEquals(List.of(1L, 3L, 4L, 2L), ids(ACME.inOrder()));
    }

    @Test
    void siblingsOfEqualOrderComeById() {
        DepartmentTree tree = DepartmentTree.of(List.of(dept(1, "Root", 0, 0), dept(9, "B", 1, 5), dept(5, "A", 1, 5)));
        assertEquals(List.of(1L, 5L, 9L), ids(tree.inOrder()));
    }

    @Test
    void aSubtreeHoldsTheDepartmentAndEverythingBelowIt() {
        assertEquals(Set.of(3L, 4L), ACME.subtree(3));
        assertEquals(Set.of(1L, 2L, 3L, 4L), ACME.subtree(1));
        assertEquals(Set.of(2L), ACME.subtree(2));
    }

    @Test
    void theSubtreeOfAnUnknownDepartmentIsEmpty() {
        assertTrue(ACME.subtree(99).isEmpty());
    }

    @Test
    void aDepartmentWhoseParentIsNotStoredIsARoot() {
        DepartmentTree tree = DepartmentTree.of(List.of(dept(7, "Orphan", 42, 0), dept(8, "Child", 7, 0)));
        assertEquals("Orphan/Child", tree.path(8));
        assertEquals(List.of(7L, 8L), ids(tree.inOrder()));
    }

    @Test
    void aDepartmentThatIsItsOwnParentIsARoot() {
        DepartmentTree tree = DepartmentTree.of(List.of(dept(1, "Self", 1, 0)));
        assertEquals("Self", tree.path(1));
        assertEquals(Set.of(1L), tree.subtree(1));
    }

    @Test
    void aParentLoopIsCutAndEveryDepartmentIsStillListedOnce() {
        DepartmentTree tree = DepartmentTree.of(List.of(dept(1, "A", 2, 0), dept(2, "B", 1, 0)));
        List<Long> order = ids(tree.inOrder());

        assertEquals(2, order.size());
        assertEquals(Set.of(1L, 2L), Set.copyOf(order));
        assertEquals(Set.of(1L, 2L), tree.subtree(1));
    }

    @Test
    void aNameThatWasNotReadLeavesNoPathAtOrBelowIt() {
        DepartmentTree tree = DepartmentTree.of(
                List.of(dept(1, "Acme", 0, 0), dept(2, null, 1, 0), dept(3, "Team", 2, 0), dept(4, "Ops", 1, 1)));

        assertNull(tree.path(2));
        assertNull(tree.path(3));
        assertEquals("Acme/Ops", tree.path(4));
    }

    @Test
    void aVeryDeepTreeDoesNotOverflowTheStack() {
        // names left out (as an ids-only set-up stores them): paths 100,000 deep would take gigabytes
        List<StoredDepartment> chain = new ArrayList<>();
        for (long id = 1; id <= 100_000; id++) {
            chain.add(dept(id, null, id - 1, 0));
        }
        DepartmentTree tree = DepartmentTree.of(chain);

        assertEquals(100_000, tree.inOrder().size());
        assertEquals(100_000, tree.subtree(1).size());
        assertEquals(100_000L, tree.inOrder().get(99_999).id());
    }

    @Test
    void refsAreByIdWithNameAndPathAndLeaderFlag() {
        Map<Long, Boolean> memberships = new LinkedHashMap<>();
        memberships.put(4L, true);
        memberships.put(2L, false);

        assertEquals(
                List.of(
                        new Member.DepartmentRef(2, "Sales", "Acme/Sales", false),
                        new Member.DepartmentRef(4, "Backend", "Acme/R&D/Backend", true)),
                ACME.refs(memberships));
    }

    @Test
    void aRefToADepartmentThatIsNotStoredHasNeitherNameNorPath() {
        Map<Long, Boolean> memberships = new LinkedHashMap<>();
        memberships.put(99L, null);
        assertEquals(List.of(new Member.DepartmentRef(99, null, null, null)), ACME.refs(memberships));
    }

    @Test
    void theWeightGrowsWithTheNames() {
        DepartmentTree shortNames = DepartmentTree.of(List.of(dept(1, "a", 0, 0), dept(2, "b", 1, 0)));
        DepartmentTree longNames =
                DepartmentTree.of(List.of(dept(1, "a".repeat(100), 0, 0), dept(2, "b".repeat(100), 1, 0)));

        assertTrue(longNames.weight() > shortNames.weight());
        assertTrue(DepartmentTree.of(List.of()).weight() > 0);
    }

    @Test
    void aLaterRowWithTheSameIdReplacesTheEarlierOne() {
        DepartmentTree tree = DepartmentTree.of(List.of(dept(1, "Old", 0, 0), dept(1, "New", 0, 0)));
        assertEquals(1, tree.size());
        assertEquals("New", tree.path(1));
    }
}
