package io.orgsync.enterprise;

/**
 * An enterprise orgsync syncs. {@code secret} is its self-built app's secret, {@code contactSecret}
 * its contact-sync secret (通讯录同步); either may be null, not both (docs/setups.md). Both are
 * opened secrets: never logged, never returned by the admin API ({@link #toString()} leaves them out).
 */
public record Enterprise(
        String corpId,
        String env,
        String name,
        String secret,
        String cron,
        boolean enabled,
        Long agentId,
        long createdAt,
        long updatedAt,
        String contactSecret) {
    /** An enterprise with its app secret alone. */
    public Enterprise(
            String corpId,
            String env,
            String name,
            String secret,
            String cron,
            boolean enabled,
            Long agentId,
            long createdAt,
            long updatedAt) {
        this(corpId, env, name, secret, cron, enabled, agentId, createdAt, updatedAt, null);
    }

    /** The secret that reads members one by one: the app's, else the contact-sync secret. */
    public String readingSecret() {
        return secret != null ? secret : contactSecret;
    }

    @Override
    public String toString() {
        return "Enterprise[" + corpId + ", env=" + env + ", cron=" + cron + ", enabled=" + enabled + "]";
    }
}
