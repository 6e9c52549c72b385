package io.orgsync.schedule;

import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.enterprise.Cron;
import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.EnterpriseJobs;
import io.orgsync.enterprise.EnterpriseListing;
import io.orgsync.logging.Failures;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
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
    static final TimeZone CRON_ZONE = Cron.ZONE;

    private static final Logger log = LoggerFactory.getLogger(EnterpriseJobScheduler.class);
    private final Scheduler scheduler;
    /** Why the start-up could not schedule an enterprise's job, until a PUT schedules it. */
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    EnterpriseJobScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void scheduleOrUpdate(Enterprise e) {
        schedule(e.corpId(), e.cron(), e.enabled());
        problems.remove(e.corpId());
    }

    @Override
    public String problem(String corpId) {
        return problems.get(corpId);
    }

    @Override
    public void remove(String corpId) {
        try {
            scheduler.deleteJob(JobKeys.sync(corpId));
            problems.remove(corpId);
        } catch (SchedulerException ex) {
            throw new IllegalStateException("could not remove the job of " + corpId + ": " + Failures.describe(ex), ex);
        }
    }

    /**
     * Makes the jobs match the environment's enterprises: missing jobs created, orphans removed.
     * One enterprise whose job cannot be scheduled (a cron that never fires again, stored by an
     * older build) does not stop the node: its trigger is removed (the row is the truth; the job
     * stays, so a manual trigger still runs it), its problem shows in the admin lists, and it is
     * alerted.
     */
    void reconcile(Collection<EnterpriseListing> enterprises, Alerts alerts) throws SchedulerException {
        Set<String> wanted = new HashSet<>();
        for (EnterpriseListing e : enterprises) {
            wanted.add(e.corpId());
            // Quartz computes fire times on this node's clock, so the check does too
            String never = e.enabled() ? Cron.neverFires(e.cron(), System.currentTimeMillis()) : null;
            try {
                if (never != null) {
                    schedule(e.corpId(), e.cron(), false);
                    unschedulable(e, never, alerts);
                } else {
                    schedule(e.corpId(), e.cron(), e.enabled());
                    problems.remove(e.corpId());
                }
            } catch (IllegalStateException ex) {
                problems.put(e.corpId(), "this node could not schedule its job: " + ex.getMessage());
                unschedulable(e, ex.getMessage(), alerts);
            }
        }
        for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(JobKeys.SYNC_GROUP))) {
            if (!wanted.contains(key.getName())) {
                log.info("Removing the job of {}: no such enterprise in this environment", key.getName());
                scheduler.deleteJob(key);
            }
        }
    }

    private static void unschedulable(EnterpriseListing e, String why, Alerts alerts) {
        log.warn("The sync of {} is not scheduled: {}", e.corpId(), why);
        alerts.raise(new Alert(
                "job_unschedulable",
                e.corpId(),
                "The sync of " + e.name() + " (" + e.corpId() + ") could not be scheduled as the node started: "
                        + why
                        + ". The node started without its schedule: until then it syncs only when triggered."));
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
