package io.orgsync.store;

/** The database cannot be reached or refused the account; the message says what to check. */
public final class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
