package io.orgsync.read;

import io.orgsync.member.DepartmentTree;
import io.orgsync.org.OrgChange;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rule of which cached list answers a change of the organisation can have made wrong (the
 * answers named by one mobile or userid are dropped by key). A department's change touches every
 * answer of its enterprise that shows a department's name or path; a member's change touches a
 * search whose prefix its name or userid starts with (before or after), the member lists of the
 * departments it left or joined (and those above them, for lists that take in sub-departments),
 * and the department tree with its member counts and leaders unless only the member's own
 * details changed.
 */
final class TouchedAnswers {
    /** The member fields that the department tree route shows nothing of. */
    private static final Set<String> NOT_IN_TREE =
            Set.of("name", "mobile", "email", "position", "alias", "telephone", "directLeader", "mainDepartment");

    private TouchedAnswers() {}

    /** {@code tree}: the enterprise's department tree as last read, or null when none is at hand. */
    static boolean touches(OrgChange change, AnswerKey key, DepartmentTree tree) {
        OrgChange.Touched t = change.touched();
        if (t.tree()) {
            return key.kind() != AnswerKey.Kind.TREE;
        }
        return switch (key.kind()) {
            case MOBILE -> t.mobiles().contains(key.subject());
            case MEMBER -> t.userids().contains(key.subject());
            case SEARCH -> startsWithPrefix(t, key.subject());
            case DEPARTMENT -> inDepartment(t, Long.parseLong(key.subject()), key.recursive(), tree);
            case DEPARTMENTS ->
                change.kind() != OrgChange.Kind.MEMBER_UPDATED || !NOT_IN_TREE.containsAll(change.changedFields());
            case TREE -> false;
        };
    }

    private static boolean startsWithPrefix(OrgChange.Touched t, String folded) {
        for (Set<String> texts : List.of(t.names(), t.userids())) {
            for (String text : texts) {
                if (text.toLowerCase(Locale.ROOT).startsWith(folded)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean inDepartment(OrgChange.Touched t, long department, boolean recursive, DepartmentTree tree) {
        if (t.departments().contains(department)) {
            return true;
        }
        if (!recursive) {
            return false;
        }
        if (tree == null) {
            // which departments lie below it is not known here: the list may hold the member
            return true;
        }
        Set<Long> below = tree.subtree(department);
        return t.departments().stream().anyMatch(below::contains);
    }
}
