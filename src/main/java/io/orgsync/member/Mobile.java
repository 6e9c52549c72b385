package io.orgsync.member;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Mobile numbers as docs/http-api.md defines them: mainland numbers (11 digits, 1[3-9]...) with or without
 * +86 / 0086, spaces and dashes, stored as 11 digits; other numbers as +&lt;country&gt;&lt;digits&gt;
 * with 6 to 15 digits. Anything else is not a mobile.
 */
public final class Mobile {
    private static final Pattern MAINLAND = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern INTERNATIONAL = Pattern.compile("\\+[1-9]\\d{5,14}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s-]");

    private Mobile() {}

    /** The refusal of something given as a mobile that is none, quoting (the start of) it. */
    public static RefusedException invalid(String given) {
        String shown = given == null ? "" : given.length() > 40 ? given.substring(0, 40) + "..." : given;
        return new RefusedException(
                Refusal.INVALID_MOBILE,
                "'" + shown.replaceAll("\\p{Cntrl}", "?")
                        + "' is not a mobile number: use 11 mainland digits (with or without +86) or +<country code><number>");
    }

    public static Optional<String> normalise(String raw) {
        if (raw == null || raw.length() > 40) {
            return Optional.empty();
        }
        String s = SEPARATORS.matcher(raw).replaceAll("");
        if (s.startsWith("00")) {
            s = "+" + s.substring(2);
        }
        if (s.startsWith("+86") && MAINLAND.matcher(s.substring(3)).matches()) {
            s = s.substring(3);
        }
        if (MAINLAND.matcher(s).matches() || (INTERNATIONAL.matcher(s).matches() && !s.startsWith("+86"))) {
            return Optional.of(s);
        }
        return Optional.empty();
    }
}
