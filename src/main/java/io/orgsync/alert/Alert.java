package io.orgsync.alert;

/**
 * Something an operator must hear about. {@code type} and {@code subject} (an enterprise, an
 * app, a node) form the key that limits repeats; {@code message} says what happened and what
 * to do. Never put a secret or token in it.
 */
public record Alert(String type, String subject, String message) {
    public String key() {
        return type + ":" + subject;
    }
}
