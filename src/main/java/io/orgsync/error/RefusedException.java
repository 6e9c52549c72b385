package io.orgsync.error;

/**
 * A request the service refuses, with the reason and a message that says what to fix. Features
 * throw it, or a subclass of their own when a caller may want to tell one case from another
 * (an unknown job, a job conflict); the HTTP edge renders it.
 */
public class RefusedException extends RuntimeException {
    private final Refusal reason;
    private final long retryAfterSeconds;

    public RefusedException(Refusal reason, String message) {
        this(reason, message, 0);
    }

    /** {@code retryAfterSeconds}: when it makes sense to ask again; 0 when it does not say. */
    public RefusedException(Refusal reason, String message, long retryAfterSeconds) {
        super(message);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Refusal reason() {
        return reason;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
