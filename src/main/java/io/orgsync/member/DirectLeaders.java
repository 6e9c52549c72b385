package io.orgsync.member;

import java.util.Arrays;
import java.util.List;

/**
 * A member's direct leaders as {@code member.direct_leader} keeps them: their userids joined by
 * commas (a userid has none), '' for none, NULL when the set-up did not read them.
 */
public final class DirectLeaders {
    private DirectLeaders() {}

    public static String format(List<String> userids) {
        return userids == null ? null : String.join(",", userids);
    }

    public static List<String> parse(String column) {
        if (column == null) {
            return null;
        }
        return column.isEmpty() ? List.of() : Arrays.asList(column.split(","));
    }
}
