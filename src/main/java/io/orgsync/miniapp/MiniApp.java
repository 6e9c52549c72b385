package io.orgsync.miniapp;

/** A registered mini-program app; {@code secret} is opened, never logged or returned. */
public record MiniApp(String appId, String name, String secret, boolean stableToken, long createdAt, long updatedAt) {
    @Override
    public String toString() {
        return "MiniApp[" + appId + ", " + (stableToken ? "stable" : "classic") + "]";
    }
}
