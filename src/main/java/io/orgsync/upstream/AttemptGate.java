package io.orgsync.upstream;

/**
 * Wraps every attempt of a request, retries included: the client calls {@link #beforeAttempt()}
 * before each send and {@link #afterAttempt()} once that send has returned (answer, error or
 * broken connection). A sync's department pacer is one: a retry is one more call the upstream
 * counts, so it needs a slot of its own.
 */
public interface AttemptGate {
    /**
     * Waits until the next attempt may be sent. May throw an unchecked exception to stop the call
     * without sending it; {@link #afterAttempt()} is then not called, and the client passes the
     * exception on unchanged.
     */
    void beforeAttempt();

    /** The attempt let through by the last {@link #beforeAttempt()} has returned. */
    void afterAttempt();
}
