package io.orgsync.enterprise;

/** The body of PUT /admin/api/enterprises/{corpId}: null fields keep their current value. */
public record EnterpriseChange(String name, String secret, String cron, Boolean enabled, Long agentId) {
    @Override
    public String toString() {
        return "EnterpriseChange[name=" + name + ", cron=" + cron + ", enabled=" + enabled + ", agentId=" + agentId
                + "]";
    }
}
