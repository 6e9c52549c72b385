package io.orgsync.common;

/**
 * A request orgsync refuses, with the HTTP status and error code of SPEC's error model and a
 * message that says what to fix. Services throw it; the HTTP layer renders it.
 */
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
