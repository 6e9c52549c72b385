package io.orgsync.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the upstream secrets kept in the database. With ORGSYNC_SECRET_KEY set they are stored
 * as AES-GCM ciphertext ({@code enc:v1:...}); without it as {@code plain:...}, and start-up warns.
 * A plain value is re-sealed the next time it is written once a key is configured.
 */
public final class SecretCipher {
    /** How a sealed value begins. */
    public static final String SEALED = "enc:v1:";

    private static final String ENCRYPTED = SEALED;
    private static final String PLAIN = "plain:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    /** {@code passphrase} may be null: secrets are then stored in plain text. */
    public SecretCipher(String passphrase) {
        if (passphrase == null) {
            key = null;
            return;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(passphrase.getBytes(StandardCharsets.UTF_8));
            key = new SecretKeySpec(digest, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean encrypting() {
        return key != null;
    }

    public String seal(String secret) {
        if (key == null) {
            return PLAIN + secret;
        }
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return ENCRYPTED + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * The secret; {@code owner} names the corp or app in the error when it cannot be opened.
     *
     * @throws SecretUnreadableException when it cannot be opened with this node's key, saying what to fix
     */
    public String open(String stored, String owner) {
        if (stored.startsWith(PLAIN)) {
            return stored.substring(PLAIN.length());
        }
        if (!stored.startsWith(ENCRYPTED)) {
            throw new SecretUnreadableException(
                    "the stored secret of " + owner + " has an unknown format; PUT the secret again");
        }
        if (key == null) {
            throw new SecretUnreadableException(
                    "the stored secret of " + owner + " is encrypted but ORGSYNC_SECRET_KEY is not set; "
                            + "set the key it was sealed with, or PUT the secret again");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(ENCRYPTED.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretUnreadableException(
                    "the stored secret of " + owner + " cannot be decrypted with this ORGSYNC_SECRET_KEY; "
                            + "set the key it was sealed with, or PUT the secret again");
        }
    }
}
