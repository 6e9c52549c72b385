package io.orgsync.token;

/** The key is held: thrown on the fetcher thread, turned into the hold's failure for the caller. */
final class HeldException extends Exception {
    final Hold hold;

    HeldException(Hold hold) {
        super(hold.reason(), null, false, false);
        this.hold = hold;
    }
}
