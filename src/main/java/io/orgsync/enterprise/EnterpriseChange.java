package io.orgsync.enterprise;

/**
 * The body of PUT /admin/api/enterprises/{corpId}: null fields keep their current value.
 * {@code secret} is the app's, {@code contactSecret} the contact-sync secret's.
 */
public record EnterpriseChange(
        String name, String secret, String cron, Boolean enabled, Long agentId, String contactSecret) {
    /** A change that leaves the contact-sync secret as it is. */
    public EnterpriseChange(String name, String secret, String cron, Boolean enabled, Long agentId) {
        this(name, secret, cron, enabled, agentId, null);
    }

    @Override
    public String toString() {
        return "EnterpriseChange[name=" + name + ", cron=" + cron + ", enabled=" + enabled + ", agentId=" + agentId
                + "]";
    }
}
