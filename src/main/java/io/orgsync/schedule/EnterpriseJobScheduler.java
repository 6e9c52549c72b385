package io.orgsync.schedule;

import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.EnterpriseJobs;
import io.orgsync.enterprise.EnterpriseListing;
import io.orgsync.logging.Failures;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync job of each enterprise: one durable job (recovery requested, so that a survivor re-runs
 * the job of a node that died mid-sync) with a cron trigger, kept in step with the enterprise.
 */
final class EnterpriseJobScheduler implements EnterpriseJobs {
    /** Enterprises are Chinese companies: their cron expressions mean Beijing time. */
    static final TimeZone CRON_ZONE = TimeZone.getTimeZone("Asia/Shanghai");

    private static final Logger log = LoggerFactory.getLogger(EnterpriseJobScheduler.class);
    private final Scheduler scheduler;

    EnterpriseJobScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void scheduleOrUpdate(Enterprise e) {
        schedule(e.corpId(), e.cron(), e.enabled());
    }

    @Override
    public void remove(String corpId) {
        try {
            scheduler.deleteJob(JobKeys.sync(corpId));
        } catch (SchedulerException ex) {
            throw new IllegalStateException("could not remove the job of " + corpId + ": " + Failures.describe(ex), ex);
        }
    }

    /** Makes the jobs match the environment's enterprises: missing jobs created, orphans removed. */
    void reconcile(Collection<EnterpriseListing> enterprises) throws SchedulerException {
        Set<String> wanted = new HashSet<>();
        for (EnterpriseListing e : enterprises) {
            wanted.add(e.corpId());
            schedule(e.corpId(), e.cron(), e.enabled());
        }
        for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(JobKeys.SYNC_GROUP))) {
            if (!wanted.contains(key.getName())) {
                log.info("Removing the job of {}: no such enterprise in this environment", key.getName());
                scheduler.deleteJob(key);
            }
        }
    }

    /**
     * A disabled enterprise keeps its job without a trigger. A changed cron replaces the trigger
     * and keeps it paused if it was: editing the schedule is not resuming it.
     */
    private void schedule(String corpId, String cronExpression, boolean enabled) {
        JobKey job = JobKeys.sync(corpId);
        TriggerKey triggerKey = JobKeys.syncTrigger(corpId);
        try {
            if (!scheduler.checkExists(job)) {
                scheduler.addJob(
                        JobBuilder.newJob(SyncJob.class)
                                .withIdentity(job)
                                .storeDurably()
                                .requestRecovery()
                                .withDescription("sync of " + corpId)
                                .build(),
                        false);
            }
            Trigger existing = scheduler.getTrigger(triggerKey);
            if (!enabled) {
                if (existing != null) {
                    scheduler.unscheduleJob(triggerKey);
                }
                return;
            }
            CronTrigger trigger = TriggerBuilder.newTrigger()
                    .withIdentity(triggerKey)
                    .forJob(job)
                    .withSchedule(CronScheduleBuilder.cronSchedule(CronSpread.spread(cronExpression, corpId))
                            .inTimeZone(CRON_ZONE)
                            .withMisfireHandlingInstructionFireAndProceed())
                    .usingJobData("cron", cronExpression)
                    .build();
            if (existing == null) {
                scheduler.scheduleJob(trigger);
            } else if (!(existing instanceof CronTrigger cron)
                    || !cronExpression.equals(cron.getJobDataMap().getString("cron"))) {
                boolean paused = scheduler.getTriggerState(triggerKey) == Trigger.TriggerState.PAUSED;
                scheduler.rescheduleJob(triggerKey, trigger);
                if (paused) {
                    scheduler.pauseTrigger(triggerKey);
                }
            }
        } catch (SchedulerException ex) {
            throw new IllegalStateException(
                    "could not schedule the sync of " + corpId + ": " + Failures.describe(ex), ex);
        }
    }
}
