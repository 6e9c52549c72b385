package io.orgsync.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * How build versions compare for fencing: dotted numbers compare as numbers (1.10.0 is newer
 * than 1.9.3); a version with a pre-release suffix after '-' (1.2.0-rc1, 1.2.0-SNAPSHOT) is
 * older than the same version without one; "dev" (a build without a version) is older than any.
 * Pre-release suffixes compare numbers inside them as numbers: 1.2.0-rc10 is newer than
 * 1.2.0-rc2 (as text it would be older, and the newer release candidate would be fenced).
 */
public final class BuildVersion {
    private BuildVersion() {}

    public static int compare(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        if (a.equals("dev") || b.equals("dev")) {
            return a.equals("dev") ? -1 : 1;
        }
        String[] aParts = a.split("-", 2);
        String[] bParts = b.split("-", 2);
        int core = compareDotted(numbers(aParts[0]), numbers(bParts[0]));
        if (core != 0) {
            return core;
        }
        boolean aPre = aParts.length > 1;
        boolean bPre = bParts.length > 1;
        if (aPre != bPre) {
            return aPre ? -1 : 1;
        }
        return aPre ? compareNatural(aParts[1], bParts[1]) : 0;
    }

    /** Runs of digits compare as numbers, everything else as text: rc2 < rc10, beta < rc. */
    private static int compareNatural(String a, String b) {
        List<String> x = chunks(a);
        List<String> y = chunks(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            String p = x.get(i);
            String q = y.get(i);
            boolean pNum = Character.isDigit(p.charAt(0));
            boolean qNum = Character.isDigit(q.charAt(0));
            int c = pNum && qNum ? new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q)) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }

    private static List<String> chunks(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= s.length(); i++) {
            if (i == s.length() || Character.isDigit(s.charAt(i)) != Character.isDigit(s.charAt(i - 1))) {
                out.add(s.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    private static List<Long> numbers(String dotted) {
        List<Long> out = new ArrayList<>();
        for (String part : dotted.split("\\.")) {
            try {
                out.add(Long.parseLong(part.replaceAll("\\D", "").isEmpty() ? "0" : part.replaceAll("\\D", "")));
            } catch (NumberFormatException e) {
                out.add(0L);
            }
        }
        return out;
    }

    private static int compareDotted(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            long x = i < a.size() ? a.get(i) : 0;
            long y = i < b.size() ? b.get(i) : 0;
            if (x != y) {
                return Long.compare(x, y);
            }
        }
        return 0;
    }
}
