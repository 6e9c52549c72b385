package io.orgsync.read;

/**
 * What a cached answer is for: its enterprise ({@link #ACROSS} for a lookup across all), the kind of
 * read, and what the read names. {@code subject} is the mobile, the userid, the folded search
 * prefix or the department id; {@code shape} the rest of the request (flags, page size, cursor),
 * which a change never needs to look at.
 */
record AnswerKey(String corpId, Kind kind, String subject, String shape) {
    /** The enterprise of a cross-enterprise lookup. */
    static final String ACROSS = "";

    enum Kind {
        MOBILE,
        MEMBER,
        SEARCH,
        DEPARTMENT,
        DEPARTMENTS,
        TREE
    }

    static AnswerKey mobile(String corpId, String mobile) {
        return new AnswerKey(corpId == null ? ACROSS : corpId, Kind.MOBILE, mobile, "");
    }

    static AnswerKey member(String corpId, String userid, boolean includeDeparted) {
        return new AnswerKey(corpId, Kind.MEMBER, userid, flag(includeDeparted));
    }

    static AnswerKey search(String corpId, String folded, boolean includeDeparted, int limit, String after) {
        return new AnswerKey(
                corpId, Kind.SEARCH, folded, flag(includeDeparted) + limit + "\n" + (after == null ? "" : after));
    }

    static AnswerKey department(
            String corpId, long department, boolean recursive, boolean includeDeparted, int limit, String after) {
        return new AnswerKey(
                corpId,
                Kind.DEPARTMENT,
                Long.toString(department),
                flag(recursive) + flag(includeDeparted) + limit + "\n" + (after == null ? "" : after));
    }

    static AnswerKey departments(String corpId, boolean includeDeparted) {
        return new AnswerKey(corpId, Kind.DEPARTMENTS, "", flag(includeDeparted));
    }

    static AnswerKey tree(String corpId, long version) {
        return new AnswerKey(corpId, Kind.TREE, Long.toString(version), "");
    }

    /** A department members list of the department and those below it. */
    boolean recursive() {
        return kind == Kind.DEPARTMENT && shape.charAt(0) == '+';
    }

    /** A list of members (or departments with their members) whose content a member's change may alter. */
    boolean list() {
        return kind == Kind.SEARCH || kind == Kind.DEPARTMENT || kind == Kind.DEPARTMENTS;
    }

    /**
     * Bookkeeping per entry beyond the key's strings and the value: Caffeine's node, its map's
     * entry and slot, the key object, the strings' headers. Measured: about 250 bytes beside the
     * body of a by-mobile answer (heap after a full GC, 20,000 answers, docs/BENCHMARKS.md); the
     * estimate errs above.
     */
    static final int ENTRY_OVERHEAD = 224;

    long weight() {
        return ENTRY_OVERHEAD + 2L * (corpId.length() + subject.length() + shape.length());
    }

    private static String flag(boolean b) {
        return b ? "+" : "-";
    }
}
