package io.orgsync.common;

/**
 * A request orgsync refuses, with the HTTP status and error code of the API's error model and a
 * message that says what to fix.
 *
 * @deprecated throw {@link io.orgsync.error.RefusedException} (or a feature's subclass) with a
 * {@link io.orgsync.error.Refusal}; http.ErrorMapping alone turns reasons into statuses. Only
 * the scheduler's admin errors still use this class; it goes once they are refusals too.
 */
@Deprecated
public final class RequestException extends RuntimeException {
    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public RequestException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public RequestException(int status, String code, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static RequestException invalid(String message) {
        return new RequestException(400, "invalid_request", message);
    }

    public static RequestException notFound(String code, String message) {
        return new RequestException(404, code, message);
    }

    public static RequestException conflict(String message) {
        return new RequestException(409, "conflict", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
