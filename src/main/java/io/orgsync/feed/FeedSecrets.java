package io.orgsync.feed;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import java.security.SecureRandom;
import java.util.Base64;

/** Standard Webhooks signing keys: "whsec_" and the base64 of 24 to 64 random bytes. */
final class FeedSecrets {
    static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private FeedSecrets() {}

    static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** Refuses a key a receiver's Standard Webhooks library could not use; the message never repeats the key. */
    static String check(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw invalid("secret must be a Standard Webhooks key: \"whsec_\" followed by base64 of 24 to 64 bytes"
                    + " (leave it out and one is generated and answered once)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw invalid("secret: the part after \"whsec_\" must be standard base64");
        }
        if (key.length < 24 || key.length > 64) {
            throw invalid("secret: the key after \"whsec_\" must decode to 24 to 64 bytes, not " + key.length);
        }
        return secret;
    }

    private static RefusedException invalid(String message) {
        return new RefusedException(Refusal.INVALID_REQUEST, message);
    }
}
