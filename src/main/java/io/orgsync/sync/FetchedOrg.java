package io.orgsync.sync;

import io.orgsync.wecom.WecomDepartment;
import io.orgsync.wecom.WecomMember;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An enterprise's organisation as one run fetched it. {@code vanished} are departments that
 * disappeared between the tree and their member list (60123), or that a ranged app may not list
 * (60011): their members are unknown, not gone. {@code scope} says what this set-up could see.
 */
record FetchedOrg(
        List<WecomDepartment> departments,
        Map<String, WecomMember> members,
        Set<Integer> vanished,
        int upstreamCalls,
        Scope scope) {
    /**
     * What the fetch could see (docs/setups.md).
     *
     * @param complete   every member of the company was listed (user/list_id, or a contact-sync
     *                   secret's full reads): a member not listed has left, wherever it was
     * @param wholeTree  the department list is the whole company's: a department not in it is gone
     * @param wholeRange the app's visible range is the whole company (true without an app)
     * @param names      details (names, positions) were read for at least the app's range
     * @param idsOnly    members listed by user/list_id alone: their departments are known, nothing else
     * @param contactIdsOnly the contact-sync secret answered 48009 (this run or within a day)
     * @param idsOnlyLearned it answered 48009 in this run (asked again a day later)
     */
    record Scope(
            boolean complete,
            boolean wholeTree,
            boolean wholeRange,
            boolean names,
            Set<String> idsOnly,
            boolean contactIdsOnly,
            boolean idsOnlyLearned) {
        /** An app's or a contact-sync secret's full reads: {@code wholeTree} when the root was listed. */
        static Scope fullReads(boolean contact, boolean wholeTree) {
            return new Scope(contact, wholeTree, wholeTree, true, Set.of(), false, false);
        }
    }

    /**
     * Whether the app shows mobiles: apps created after 2022-06-20 get every one empty, so a single
     * mobile means an older app, whose empty mobiles are numbers removed upstream. None at all is
     * read as hidden: clearing every stored number because of an org without any would lose the
     * ones resolves learned, for good.
     */
    boolean mobilesShown() {
        return members.values().stream().anyMatch(m -> !m.mobile().isBlank());
    }
}
