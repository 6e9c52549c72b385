package io.orgsync.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.callback.CallbackRejected;
import io.orgsync.enterprise.UnknownEnterpriseException;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.store.DatabaseUnavailableException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The status and error code of each refusal (the error model of the HTTP API), and what counts as an outage. */
class ErrorMappingTest {
    /** Spelled out once more here: a status or code that changes is an API change, and must fail a test. */
    private static final Map<Refusal, String> ANSWERS = new EnumMap<>(Map.ofEntries(
            Map.entry(Refusal.INVALID_REQUEST, "400 invalid_request"),
            Map.entry(Refusal.INVALID_MOBILE, "400 invalid_mobile"),
            Map.entry(Refusal.TOO_LARGE, "413 invalid_request"),
            Map.entry(Refusal.UNAUTHORIZED, "401 unauthorized"),
            Map.entry(Refusal.NOT_FOUND, "404 not_found"),
            Map.entry(Refusal.UNKNOWN_CORP, "404 unknown_corp"),
            Map.entry(Refusal.UNKNOWN_APP, "404 unknown_app"),
            Map.entry(Refusal.CONFLICT, "409 conflict"),
            Map.entry(Refusal.GONE, "410 gone"),
            Map.entry(Refusal.RATE_LIMITED, "429 rate_limited"),
            Map.entry(Refusal.BUDGET_EXHAUSTED, "429 budget_exhausted"),
            Map.entry(Refusal.UPSTREAM_ERROR, "502 upstream_error"),
            Map.entry(Refusal.READ_ONLY, "503 read_only"),
            Map.entry(Refusal.ADMIN_DISABLED, "503 admin_disabled"),
            Map.entry(Refusal.UNAVAILABLE, "503 unavailable")));

    private static String answer(Refusal reason) {
        return ErrorMapping.status(reason) + " " + ErrorMapping.code(reason);
    }

    @ParameterizedTest
    @EnumSource(Refusal.class)
    void eachRefusalHasItsDocumentedStatusAndCode(Refusal reason) {
        assertEquals(ANSWERS.get(reason), answer(reason), reason.name());
    }

    @Test
    void everyRefusalIsListedInThisTest() {
        assertEquals(Refusal.values().length, ANSWERS.size());
    }

    @Test
    void anUnknownEnterpriseIs404UnknownCorp() {
        assertEquals("404 unknown_corp", answer(new UnknownEnterpriseException("wwacme").reason()));
    }

    @Test
    void aRejectedCallbackIs400InvalidRequest() {
        assertEquals("400 invalid_request", answer(new CallbackRejected("bad signature").reason()));
    }

    @Test
    void aRefusalKeepsTheRetryAfterItWasGiven() {
        RefusedException e = new RefusedException(Refusal.RATE_LIMITED, "slow down", 7);
        assertEquals("429 rate_limited", answer(e.reason()));
        assertEquals(7, e.retryAfterSeconds());
    }

    @Test
    void aLostConnectionIsAnOutage() {
        assertTrue(ErrorMapping.databaseUnreachable(new SQLNonTransientConnectionException("gone")));
    }

    @Test
    void thePoolTimingOutIsAnOutage() {
        assertTrue(ErrorMapping.databaseUnreachable(new SQLTransientConnectionException("pool timed out")));
    }

    @Test
    void sqlStateClass08IsAnOutage() {
        assertTrue(ErrorMapping.databaseUnreachable(new SQLException("link failure", "08S01")));
    }

    @Test
    void anOutageDeepInTheCauseChainIsAnOutage() {
        Exception wrapped = new IllegalStateException(
                "loading failed", new RuntimeException(new DatabaseUnavailableException("no database", null)));
        assertTrue(ErrorMapping.databaseUnreachable(wrapped));
    }

    @Test
    void aConstraintViolationIsNotAnOutage() {
        assertFalse(ErrorMapping.databaseUnreachable(new SQLException("duplicate", "23000")));
    }

    @Test
    void anSqlExceptionWithoutStateIsNotAnOutage() {
        assertFalse(ErrorMapping.databaseUnreachable(new SQLException("odd")));
    }

    @Test
    void aPlainBugIsNotAnOutage() {
        assertFalse(ErrorMapping.databaseUnreachable(new NullPointerException()));
    }

    @Test
    void whereNamesTheClassesAndSqlStatesButNoMessage() {
        SQLException sql = new SQLException("INSERT INTO member VALUES ('secret-value')", "23505", 23505);
        String where = ErrorMapping.where(new IllegalStateException("apply failed: secret-value", sql));

        assertTrue(where.startsWith("IllegalStateException <- SQLException (SQLState 23505, code 23505)"), where);
        assertFalse(where.contains("secret-value"), where);
        assertFalse(where.contains("INSERT"), where);
    }

    @Test
    void whereEndsWithTheFirstFrameOfOurOwnCode() {
        String where = ErrorMapping.where(new IllegalStateException("boom"));
        assertTrue(where.contains(" at io.orgsync.http.ErrorMappingTest."), where);
    }
}
