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
record FetchedOrg(List<WecomDepartment> departments, Map<String, WecomMember> members, Set<Integer> vanished, int upstreamCalls) {
}
