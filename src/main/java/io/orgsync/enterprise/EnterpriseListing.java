package io.orgsync.enterprise;

/**
 * An enterprise as the admin lists show it: everything but the secrets, and {@code problem}, what
 * keeps it from syncing and how to fix it (null when nothing does). A list made of these answers
 * even when some enterprise's secret cannot be opened on this node. {@code hasSecret} and
 * {@code hasContactSecret} tell which secrets it holds; {@code access} is what its set-up read at
 * the last complete sync (null before the first).
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
        String problem,
        boolean hasSecret,
        boolean hasContactSecret,
        Access access) {
    public EnterpriseListing withProblem(String what) {
        return new EnterpriseListing(
                corpId,
                env,
                name,
                cron,
                enabled,
                agentId,
                createdAt,
                updatedAt,
                what,
                hasSecret,
                hasContactSecret,
                access);
    }
}
