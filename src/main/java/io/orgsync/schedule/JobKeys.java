package io.orgsync.schedule;

import org.quartz.JobKey;
import org.quartz.TriggerKey;

/** Where orgsync's jobs and triggers sit in Quartz's shared tables. */
public final class JobKeys {
    /** One durable sync job per enterprise, named by its corp id, with a cron trigger of the same name. */
    public static final String SYNC_GROUP = "orgsync-sync";
    /** One-shot triggers of admin "trigger now" and of hand-overs: their own group, so that a pending one can be found. */
    public static final String MANUAL_GROUP = "orgsync-manual";
    /** The cluster's housekeeping job (pruning): one job, so one runner in the whole cluster at a time. */
    public static final String MAINTENANCE_GROUP = "orgsync-maintenance";
    /** Queued alert e-mails, one short-lived job each. */
    public static final String ALERT_MAIL_GROUP = "orgsync-alert-mail";

    static final JobKey MAINTENANCE_JOB = JobKey.jobKey("prune", MAINTENANCE_GROUP);
    static final TriggerKey MAINTENANCE_TRIGGER = TriggerKey.triggerKey("hourly", MAINTENANCE_GROUP);

    private JobKeys() {}

    static JobKey sync(String corpId) {
        return JobKey.jobKey(corpId, SYNC_GROUP);
    }

    static TriggerKey syncTrigger(String corpId) {
        return TriggerKey.triggerKey(corpId, SYNC_GROUP);
    }
}
