package io.orgsync.enterprise;

/**
 * An enterprise orgsync syncs. {@code secret} is the opened secret: never logged, never
 * returned by the admin API ({@link #toString()} leaves it out).
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
        long updatedAt) {
    @Override
    public String toString() {
        return "Enterprise[" + corpId + ", env=" + env + ", cron=" + cron + ", enabled=" + enabled + "]";
    }
}
