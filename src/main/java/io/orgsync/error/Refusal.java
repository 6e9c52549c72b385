package io.orgsync.error;

/**
 * Why the service refuses what a caller asked for, in the caller's terms. Domain code names a
 * reason; only the HTTP edge (http.ErrorMapping) knows which status and error code each becomes.
 */
public enum Refusal {
    INVALID_REQUEST,
    INVALID_MOBILE,
    /** A body larger than the server reads. */
    TOO_LARGE,
    UNAUTHORIZED,
    NOT_FOUND,
    UNKNOWN_CORP,
    UNKNOWN_APP,
    CONFLICT,
    /** What was asked for existed but is deleted for good (a change log read past its retention). */
    GONE,
    RATE_LIMITED,
    BUDGET_EXHAUSTED,
    UPSTREAM_ERROR,
    READ_ONLY,
    ADMIN_DISABLED,
    UNAVAILABLE
}
