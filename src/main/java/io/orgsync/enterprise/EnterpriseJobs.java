package io.orgsync.enterprise;

/** What the scheduler does when enterprises change; the schedule feature implements it. */
public interface EnterpriseJobs {
    /** Creates, reschedules or (when disabled) pauses the enterprise's sync job. */
    void scheduleOrUpdate(Enterprise enterprise);

    void remove(String corpId);

    /** Why this node could not schedule the enterprise's job (at start-up), null when it could. */
    default String problem(String corpId) {
        return null;
    }
}
