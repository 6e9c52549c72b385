package io.orgsync.store;

/**
 * A stored secret that this node cannot open, with what to do about it in the message (never
 * the sealed value). A configuration problem of one enterprise or app, not of the node: callers
 * list the owner as broken and go on with the others.
 */
public final class SecretUnreadableException extends IllegalStateException {
    public SecretUnreadableException(String message) {
        super(message);
    }
}
