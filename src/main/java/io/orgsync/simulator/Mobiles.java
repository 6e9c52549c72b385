package io.orgsync.simulator;

import java.util.regex.Pattern;

/** How WeCom matches a mobile: separators ignored, mainland numbers with or without +86. */
final class Mobiles {
    private static final Pattern MAINLAND = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern INTERNATIONAL = Pattern.compile("\\+\\d{6,15}");

    private Mobiles() {}

    /** The canonical form, or null when it is not a mobile number at all. */
    static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.replaceAll("[\\s-]", "");
        if (s.startsWith("0086")) {
            s = "+86" + s.substring(4);
        }
        if (s.startsWith("+86") && MAINLAND.matcher(s.substring(3)).matches()) {
            s = s.substring(3);
        }
        if (MAINLAND.matcher(s).matches() || INTERNATIONAL.matcher(s).matches()) {
            return s;
        }
        return null;
    }
}
