package io.orgsync.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names one shared token: {@code id} is its row in {@code upstream_token}; {@code subject} is the
 * corp or app it belongs to (for logs and alerts). A WeCom key includes a fingerprint of the
 * secret, so that two secrets of one corp (app and contact sync) or a rotated secret get tokens
 * of their own, while the secret itself is never stored or logged.
 */
public record TokenKey(String id, String subject, Kind kind) {
    public enum Kind {
        WECOM,
        MINIAPP_STABLE,
        MINIAPP_CLASSIC
    }

    public static TokenKey wecom(String corpId, String secret) {
        return new TokenKey("wecom:" + corpId + ":" + fingerprint(secret), corpId, Kind.WECOM);
    }

    public static TokenKey miniApp(String appId, boolean stable) {
        return new TokenKey(
                "miniapp:" + appId + (stable ? ":stable" : ":classic"),
                appId,
                stable ? Kind.MINIAPP_STABLE : Kind.MINIAPP_CLASSIC);
    }

    /** The first 12 hex digits of the secret's SHA-256: tells secrets apart, reveals nothing usable. */
    static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
