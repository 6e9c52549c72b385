package io.orgsync.org;

import java.util.List;
import java.util.Set;

/**
 * One row of the change log: a member or department that a write changed, numbered per
 * enterprise ({@code seq}, increasing, without gaps within a write). {@code data} is the member or
 * department after the change as the read API shows it (JSON); {@code touched} says which cached
 * answers the change can have made wrong.
 */
public record OrgChange(
        String corpId,
        long seq,
        Kind kind,
        String subject,
        List<String> changedFields,
        Source source,
        long changedAt,
        Touched touched,
        String data) {

    public OrgChange {
        changedFields = List.copyOf(changedFields);
    }

    /** What changed, named as the change feed's event types name it ({@code io.orgsync.} + {@link #type}). */
    public enum Kind {
        MEMBER_CREATED("member.created"),
        MEMBER_UPDATED("member.updated"),
        MEMBER_DEPARTED("member.departed"),
        DEPARTMENT_CREATED("department.created"),
        DEPARTMENT_UPDATED("department.updated"),
        DEPARTMENT_DELETED("department.deleted");

        private final String type;

        Kind(String type) {
            this.type = type;
        }

        public String type() {
            return type;
        }

        public boolean member() {
            return this == MEMBER_CREATED || this == MEMBER_UPDATED || this == MEMBER_DEPARTED;
        }

        public static Kind ofType(String type) {
            for (Kind k : values()) {
                if (k.type.equals(type)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no change kind " + type);
        }
    }

    /** Which feature wrote it. */
    public enum Source {
        SYNC,
        EVENT,
        RESOLVE,
        ADMIN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What a change can have made wrong in a cached answer: the members it names (before and
     * after a rename), the mobiles they had and have, the departments they left or joined, the
     * names and userids a search by prefix may have matched, and whether the department tree
     * itself changed (every answer that shows a department path then).
     */
    public record Touched(
            Set<String> userids, Set<String> mobiles, Set<Long> departments, Set<String> names, boolean tree) {
        public Touched {
            userids = Set.copyOf(userids);
            mobiles = Set.copyOf(mobiles);
            departments = Set.copyOf(departments);
            names = Set.copyOf(names);
        }
    }
}
