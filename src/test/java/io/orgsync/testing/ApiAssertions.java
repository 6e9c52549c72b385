package io.orgsync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

/** What every answer of the HTTP API must look like, whatever went wrong. */
public final class ApiAssertions {
    /** Traces of internals that must never reach a caller: stack frames, exception names, our SQL. */
    private static final List<String> LEAKS = List.of(
            "exception",
            "\tat ",
            "at io.orgsync",
            "at java.",
            "at org.",
            "jdbc:",
            "select m.",
            "left join",
            "where m.",
            "on duplicate key",
            "insert into",
            "resolve_miss",
            "member_department",
            "sqlstate",
            "syntax error",
            "hikari",
            "javalin",
            "jetty",
            "<html");

    private ApiAssertions() {}

    /**
     * An error answer of the documented model, {@code {"error":{"code","message"}}}, with this
     * status and code, and none of the given secrets or any internal detail in its body.
     */
    public static void assertError(ApiNode.Response r, int status, String code, String... secrets) {
        assertEquals(status, r.status(), () -> "status of " + r);
        assertClean(r, secrets);
        assertTrue(
                r.header("Content-Type") != null && r.header("Content-Type").startsWith("application/json"),
                () -> "JSON: " + r.headers());
        assertEquals(code, r.code(), () -> "error.code of " + r);
        String message = r.json().path("error").path("message").asText("");
        assertFalse(message.isBlank(), () -> "error.message of " + r);
        assertEquals(1, r.json().size(), () -> "only 'error' at the top: " + r);
        assertEquals(2, r.json().path("error").size(), () -> "only code and message: " + r);
    }

    /** No stack trace, SQL, server internals or secret in the body. */
    public static void assertClean(ApiNode.Response r, String... secrets) {
        String type = r.header("Content-Type");
        if (type != null && type.startsWith("image/")) {
            return;
        }
        String body = r.text();
        String lower = body.toLowerCase(Locale.ROOT);
        for (String leak : LEAKS) {
            assertFalse(lower.contains(leak), () -> "'" + leak + "' in " + r);
        }
        for (String secret : secrets) {
            assertNotNull(secret);
            assertFalse(body.contains(secret), () -> "a secret in " + r);
        }
    }
}
