package io.orgsync.schedule;

import java.util.UUID;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/** One-shot triggers in {@link JobKeys#MANUAL_GROUP}: admin "trigger now", hand-overs, maintenance on demand. */
final class OneShots {
    private OneShots() {}

    /** Fires the job once, now, on whichever node that executes jobs takes it. */
    static void fire(Scheduler scheduler, JobKey job, String prefix) throws SchedulerException {
        Trigger once = TriggerBuilder.newTrigger()
                .withIdentity(prefix + UUID.randomUUID(), JobKeys.MANUAL_GROUP)
                .forJob(job)
                .startNow()
                .build();
        scheduler.scheduleJob(once);
        // a trigger stored while its group counts as paused is stored PAUSED and would never fire
        if (scheduler.getTriggerState(once.getKey()) == Trigger.TriggerState.PAUSED) {
            scheduler.resumeTrigger(once.getKey());
        }
    }

    /**
     * Whether a one-shot trigger of the job is waiting or its run is under way. Such a trigger
     * is deleted when its job completes; COMPLETE means fired and still executing (the run row
     * may not exist yet). A dead node's COMPLETE triggers are removed by cluster recovery.
     */
    static boolean pending(Scheduler scheduler, JobKey job) throws SchedulerException {
        for (Trigger t : scheduler.getTriggersOfJob(job)) {
            if (JobKeys.MANUAL_GROUP.equals(t.getKey().getGroup())) {
                Trigger.TriggerState state = scheduler.getTriggerState(t.getKey());
                if (state != Trigger.TriggerState.NONE && state != Trigger.TriggerState.ERROR) {
                    return true;
                }
            }
        }
        return false;
    }
}
