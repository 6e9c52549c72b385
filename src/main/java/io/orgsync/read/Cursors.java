package io.orgsync.read;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Opaque page cursors: the last userid of a page, base64url, with an HMAC over it and the query
 * it belongs to, so that a cursor cannot be edited to read past where the API let it, nor used
 * with other parameters. The key comes from ORGSYNC_SECRET_KEY, so that every node of a
 * cluster accepts the others' cursors; without it each node draws its own at start-up.
 */
public final class Cursors {
    /** A userid is at most 64 characters: its base64 plus the MAC stay well below this. */
    static final int MAX_LENGTH = 200;

    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private final HashFunction mac;

    private Cursors(byte[] key) {
        this.mac = Hashing.hmacSha256(key);
    }

    /** {@code secretKey}: ORGSYNC_SECRET_KEY, or null. */
    public static Cursors keyedBy(String secretKey) {
        if (secretKey == null) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return new Cursors(key);
        }
        // a key of its own, derived: the cursor MAC never uses the secrets' encryption key as it is
        return new Cursors(Hashing.sha256()
                .hashString("orgsync read cursors\n" + secretKey, StandardCharsets.UTF_8)
                .asBytes());
    }

    /** The cursor that continues {@code scope} (the route and its parameters) after {@code lastKey}. */
    String issue(String scope, String lastKey) {
        byte[] key = lastKey.getBytes(StandardCharsets.UTF_8);
        return ENCODE.encodeToString(key) + "." + ENCODE.encodeToString(sign(scope, key));
    }

    /** The last key the cursor stands for; 400 invalid_request when it was not issued for this scope. */
    String open(String scope, String cursor) {
        int dot = cursor.indexOf('.');
        if (cursor.length() > MAX_LENGTH || dot < 1) {
            throw refused();
        }
        byte[] key;
        try {
            key = DECODE.decode(cursor.substring(0, dot));
        } catch (IllegalArgumentException e) {
            throw refused();
        }
        String lastKey = new String(key, StandardCharsets.UTF_8);
        // the whole text is compared, not the decoded bytes: base64 ignores the low bits of a last
        // character, and a cursor that differs from the one issued in any character is not that one
        if (!MessageDigest.isEqual(
                cursor.getBytes(StandardCharsets.UTF_8), issue(scope, lastKey).getBytes(StandardCharsets.UTF_8))) {
            throw refused();
        }
        return lastKey;
    }

    private byte[] sign(String scope, byte[] key) {
        byte[] full = mac.newHasher()
                .putString(scope, StandardCharsets.UTF_8)
                .putByte((byte) 0)
                .putBytes(key)
                .hash()
                .asBytes();
        return Arrays.copyOf(full, MAC_BYTES);
    }

    private static RefusedException refused() {
        return new RefusedException(
                Refusal.INVALID_REQUEST,
                "cursor is not one this API issued for this query "
                        + "(edited, cut, or from other parameters): pass nextCursor exactly as received with the same parameters, "
                        + "or leave cursor out to start from the first page");
    }
}
