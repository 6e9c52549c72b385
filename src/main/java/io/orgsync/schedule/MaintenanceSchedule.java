package io.orgsync.schedule;

import static io.orgsync.schedule.JobKeys.MAINTENANCE_JOB;
import static io.orgsync.schedule.JobKeys.MAINTENANCE_TRIGGER;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/** The maintenance job ({@link MaintenanceJob}) in the shared tables, with its hourly trigger. */
final class MaintenanceSchedule {
    /** Hourly, off the full hour that many enterprise crons use. */
    private static final String CRON = "0 47 * * * ?";

    private final Scheduler scheduler;

    MaintenanceSchedule(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Creates the job and its trigger if no node did yet. Only nodes that execute jobs run it; a
     * trigger left in ERROR (a node of an older build that did not know the job class took it)
     * is reset, or pruning would stop for good.
     */
    void ensure() throws SchedulerException {
        if (!scheduler.checkExists(MAINTENANCE_JOB)) {
            scheduler.addJob(
                    JobBuilder.newJob(MaintenanceJob.class)
                            .withIdentity(MAINTENANCE_JOB)
                            .storeDurably()
                            .withDescription("prunes runs and resolve memories past ORGSYNC_RUN_RETENTION_DAYS")
                            .build(),
                    true);
        }
        if (!scheduler.checkExists(MAINTENANCE_TRIGGER)) {
            try {
                scheduler.scheduleJob(TriggerBuilder.newTrigger()
                        .withIdentity(MAINTENANCE_TRIGGER)
                        .forJob(MAINTENANCE_JOB)
                        .withSchedule(CronScheduleBuilder.cronSchedule(CRON)
                                .inTimeZone(EnterpriseJobScheduler.CRON_ZONE)
                                .withMisfireHandlingInstructionFireAndProceed())
                        .build());
            } catch (ObjectAlreadyExistsException e) {
                // nodes starting together: another one stored it first
            }
        } else if (scheduler.getTriggerState(MAINTENANCE_TRIGGER) == Trigger.TriggerState.ERROR) {
            scheduler.resetTriggerFromErrorState(MAINTENANCE_TRIGGER);
        }
    }

    /** Runs the maintenance job once now, on whichever node that executes jobs takes it. */
    void triggerNow() throws SchedulerException {
        ensure();
        OneShots.fire(scheduler, MAINTENANCE_JOB, "maintenance-");
    }
}
