package io.orgsync.sync;

import io.orgsync.wecom.WecomDepartment;
import io.orgsync.wecom.WecomMember;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An enterprise's organisation as one run fetched it. {@code vanished} are departments that
 * disappeared between the tree and their member list (60123): their members are unknown, not gone.
 */
record FetchedOrg(
        List<WecomDepartment> departments, Map<String, WecomMember> members, Set<Integer> vanished, int upstreamCalls) {
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
