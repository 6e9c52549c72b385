package io.orgsync.enterprise;

/**
 * An enterprise as the admin lists show it: everything but the secret, and {@code problem}, what
 * keeps it from syncing and how to fix it (null when nothing does). A list made of these answers
 * even when some enterprise's secret cannot be opened on this node.
 */
public record EnterpriseListing(
        String corpId,
        String env,
        String name,
        String cron,
        boolean enabled,
        Long agentId,
        long createdAt,
        long updatedAt,
        String problem) {
    public EnterpriseListing withProblem(String what) {
        return new EnterpriseListing(corpId, env, name, cron, enabled, agentId, createdAt, updatedAt, what);
    }
}
