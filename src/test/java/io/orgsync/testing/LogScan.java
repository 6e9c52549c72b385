package io.orgsync.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What no log line, start-up message or answer may carry (docs/http-api.md): the text of a statement, as H2
 * quotes it in its messages and MySQL near a syntax error or in a duplicate key; a credential
 * left in a URL's query; and any secret a test used or token the simulator issued.
 */
public final class LogScan {
    public static final List<String> SQL = List.of(
            "SQL statement",
            "SELECT ",
            "INSERT INTO",
            "UPDATE ",
            "DELETE FROM",
            "MERGE INTO",
            " WHERE ",
            "VALUES (",
            "Duplicate entry '");
    /** key=, access_token=... followed by something token-like (not the "***" of a redacted one, nor a placeholder). */
    public static final Pattern URL_CREDENTIAL =
            Pattern.compile("(?i)\\b(key|access_token|corpsecret|secret)=(?!\\*\\*\\*)[A-Za-z0-9_-]{8,}");

    private LogScan() {}

    /** What is wrong with {@code text}, empty when nothing is. */
    public static List<String> offences(String text, Collection<String> secrets) {
        List<String> why = new ArrayList<>();
        for (String keyword : SQL) {
            if (text.contains(keyword)) {
                why.add("SQL '" + keyword.trim() + "'");
            }
        }
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty() && text.contains(secret)) {
                why.add("secret '" + secret + "'");
            }
        }
        if (URL_CREDENTIAL.matcher(text).find()) {
            why.add("a credential in a URL");
        }
        return why;
    }

    /** Adds "[reasons] where: text" to {@code offending} when {@code text} has something it must not. */
    public static void check(String where, String text, Collection<String> secrets, List<String> offending) {
        List<String> why = offences(text, secrets);
        if (!why.isEmpty()) {
            offending.add("  [" + String.join(", ", why) + "] " + where + ": "
                    + text.strip().replace("\n", "\n      "));
        }
    }
}
