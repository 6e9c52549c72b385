package io.orgsync.simulator;

/** One issued access token. Expiry can be shortened (classic rotation) or the token revoked. */
final class SimToken {
    enum Kind {
        WECOM_APP,
        WECOM_CONTACT,
        CLASSIC,
        STABLE
    }

    final String value;
    final Kind kind;
    /** corpId or appId. */
    final String subject;

    final long issuedAt;
    private volatile long expiresAt;
    private volatile boolean revoked;
    /** Its expiry was brought forward by a newer classic token: past it, the token is "not latest". */
    private volatile boolean superseded;

    SimToken(String value, Kind kind, String subject, long issuedAt, long expiresAt) {
        this.value = value;
        this.kind = kind;
        this.subject = subject;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    boolean wechat() {
        return kind == Kind.CLASSIC || kind == Kind.STABLE;
    }

    long expiresAt() {
        return expiresAt;
    }

    void expireNoLaterThan(long at) {
        if (at < expiresAt) {
            expiresAt = at;
            superseded = true;
        }
    }

    boolean superseded() {
        return superseded;
    }

    void revoke() {
        revoked = true;
    }

    boolean revoked() {
        return revoked;
    }

    boolean live(long now) {
        return !revoked && now < expiresAt;
    }

    long secondsLeft(long now) {
        return Math.max(0, (expiresAt - now) / 1000);
    }
}
