package io.orgsync.callback;

/** The member or department an event names is not (yet) readable through the API: retried later, never taken for a deletion. */
final class NotReadableYet extends Exception {
    NotReadableYet(String message) {
        super(message, null, false, false);
    }
}
