package io.orgsync.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence for log output: what a library (Quartz, HikariCP, Flyway, Jetty)
 * writes is not ours to phrase, and a driver's message travels inside theirs. H2 quotes the
 * whole statement ("...; SQL statement: INSERT ... [23505-232]"), MySQL the text near a syntax
 * error and the values of a duplicate key, and a URL can carry a robot key or access token in its
 * query. Our own log calls never print such text (see {@link Failures}); this catches the rest.
 */
public final class Redaction {
    private record Rule(Pattern pattern, String replacement) {}

    private static final List<Rule> RULES = List.of(
            // H2: the statement runs from "SQL statement:" to the "[errorcode-version]" trailer (or the end)
            new Rule(Pattern.compile("(?s);?\\s*SQL statement:.*?(\\[\\d+-\\d+]|\\z)"), " [statement not logged] $1"),
            new Rule(
                    Pattern.compile(
                            "(?s)(check the manual that corresponds to your \\S+ server version for the right syntax to use) near '.*?' at line"),
                    "$1 near [statement not logged] at line"),
            new Rule(
                    Pattern.compile("(?s)Duplicate entry '.*?' for key"), "Duplicate entry [value not logged] for key"),
            new Rule(
                    Pattern.compile("(?i)\\b(access_token|key|corpsecret|secret|password|pwd)=[^&\\s\"',;)]+"),
                    "$1=***"));

    private Redaction() {}

    /** {@code text} with statements, duplicate values and URL credentials replaced by a placeholder. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Rule rule : RULES) {
            Matcher m = rule.pattern.matcher(out);
            if (m.find()) {
                out = m.replaceAll(rule.replacement);
            }
        }
        return out;
    }
}
