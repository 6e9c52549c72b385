package io.orgsync.callback;

import io.orgsync.member.StoredMember;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The member fields of a full-field event beyond the basic ones: {@code IsLeaderInDept} (flags
 * parallel to {@code Department}, "1,0"), {@code DirectLeader} (userids, "a,b"), {@code Alias} and
 * {@code Telephone}. What the event does not carry stays as stored; what it cannot tell becomes
 * not known (null) rather than a guess.
 */
final class MemberEventFields {
    private MemberEventFields() {}

    /**
     * The departments the member leads after the event. Flags count only with the department
     * list they are parallel to; new departments without flags leave them not known.
     */
    static Set<Long> leaderIn(ContactEvent ev, StoredMember base, Set<Long> departments) {
        String given = ev.get("Department");
        boolean listed = given != null && !given.isBlank();
        if (ev.has("IsLeaderInDept") && listed) {
            List<String> ids = split(given);
            List<String> flags = split(ev.get("IsLeaderInDept"));
            if (flags.size() != ids.size()) {
                return null;
            }
            Set<Long> led = new HashSet<>();
            for (int i = 0; i < ids.size(); i++) {
                if (flags.get(i).equals("1")) {
                    led.add(Long.parseLong(ids.get(i)));
                }
            }
            return led;
        }
        if (ev.has("IsLeaderInDept") || !departments.equals(base.departments())) {
            return null;
        }
        return base.leaderIn();
    }

    static List<String> directLeader(ContactEvent ev, StoredMember base) {
        return ev.has("DirectLeader") ? split(ev.get("DirectLeader")) : base.directLeader();
    }

    static String alias(ContactEvent ev, StoredMember base) {
        return ev.has("Alias") ? ev.get("Alias") : base.alias();
    }

    static String telephone(ContactEvent ev, StoredMember base) {
        return ev.has("Telephone") ? ev.get("Telephone") : base.telephone();
    }

    private static List<String> split(String list) {
        return list.isBlank()
                ? List.of()
                : Arrays.stream(list.split(",")).map(String::strip).toList();
    }
}
