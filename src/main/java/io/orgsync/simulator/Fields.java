package io.orgsync.simulator;

import java.util.regex.Pattern;

/**
 * The checks control bodies share, for their records' constructors. A failed check throws
 * {@link IllegalArgumentException} with what to fix, which the control routes answer 400.
 */
final class Fields {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    private Fields() {}

    static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** An id of an enterprise, app or member, as WeCom allows them. */
    static String id(String name, String value) {
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " may have up to 64 letters, digits or _ . @ -");
        }
        return value;
    }

    /** The value, or the fallback when it was left out; a negative value is refused. */
    static Integer zeroOrMore(String name, Integer value, Integer fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be a whole number of 0 or more");
        }
        return value;
    }
}
