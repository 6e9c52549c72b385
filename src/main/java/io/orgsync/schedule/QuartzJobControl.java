package io.orgsync.schedule;

import static io.orgsync.schedule.JobConflictException.Conflict;

import io.orgsync.enterprise.EnterpriseListing;
import io.orgsync.sync.RunStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.impl.matchers.GroupMatcher;

/** {@link JobControl} on the shared Quartz tables; RUNNING is read from the run rows, which every node sees. */
final class QuartzJobControl implements JobControl {
    private final Scheduler scheduler;
    private final RunStore runs;

    QuartzJobControl(Scheduler scheduler, RunStore runs) {
        this.scheduler = scheduler;
        this.runs = runs;
    }

    @Override
    public JobView pause(String corpId) throws SchedulerException, SQLException {
        scheduler.pauseJob(existing(corpId));
        return view(corpId);
    }

    @Override
    public JobView resume(String corpId) throws SchedulerException, SQLException {
        JobKey key = existing(corpId);
        // a disabled enterprise has no schedule to resume: answering 200 with PAUSED again would
        // leave the operator guessing
        if (scheduler.getTrigger(JobKeys.syncTrigger(corpId)) == null) {
            throw new JobConflictException(
                    corpId,
                    Conflict.DISABLED,
                    "the enterprise " + corpId + " is disabled, so its job has "
                            + "no schedule to resume; enable it with PUT /admin/api/enterprises/" + corpId
                            + " {\"enabled\": true}");
        }
        scheduler.resumeJob(key);
        return view(corpId);
    }

    /**
     * Quartz would fire a paused job too (the one-shot trigger is not paused), so a paused job
     * needs {@code force}; a running one is refused, it would only queue up. After pause-all,
     * though, Quartz stores every new trigger paused: a forced one is resumed at once, or it
     * would wait silently for resume-all.
     */
    @Override
    public JobView trigger(String corpId, boolean force) throws SchedulerException, SQLException {
        JobKey key = existing(corpId);
        if (runs.running(corpId)) {
            throw new JobConflictException(
                    corpId, Conflict.RUNNING, "the job of " + corpId + " is running; wait for the run to finish");
        }
        // a trigger sent a moment ago may not have started yet (another node picks it up within
        // idleWaitTime): a second one would only queue a run right behind the first
        if (OneShots.pending(scheduler, key)) {
            throw new JobConflictException(
                    corpId,
                    Conflict.JUST_TRIGGERED,
                    "the job of " + corpId + " was triggered and is about to run; wait for the run to finish");
        }
        if (!force && "PAUSED".equals(state(corpId))) {
            throw new JobConflictException(
                    corpId,
                    Conflict.PAUSED,
                    "the job of " + corpId
                            + " is paused; resume it, or trigger with ?force=true to run it once anyway");
        }
        OneShots.fire(scheduler, key, "trigger-");
        return view(corpId);
    }

    /**
     * Pauses the sync jobs only. Quartz's pauseAll() would also pause every trigger created later
     * in any group, alert e-mails and forced triggers included, which then never fire.
     */
    @Override
    public void pauseAll() throws SchedulerException {
        scheduler.pauseTriggers(GroupMatcher.triggerGroupEquals(JobKeys.SYNC_GROUP));
    }

    /** Resumes every trigger group, sync jobs paused one by one included (and a pause-all marker of an older build). */
    @Override
    public void resumeAll() throws SchedulerException {
        scheduler.resumeAll();
    }

    @Override
    public List<JobView> jobs(Collection<EnterpriseListing> enterprises) throws SchedulerException, SQLException {
        List<JobView> out = new ArrayList<>();
        for (EnterpriseListing e : enterprises) {
            out.add(view(e.corpId()));
        }
        return out;
    }

    @Override
    public JobView view(String corpId) throws SchedulerException, SQLException {
        CronTrigger cron = (CronTrigger) scheduler.getTrigger(JobKeys.syncTrigger(corpId));
        return new JobView(
                corpId,
                state(corpId),
                cron == null ? null : cron.getJobDataMap().getString("cron"),
                cron == null || cron.getNextFireTime() == null
                        ? null
                        : cron.getNextFireTime().getTime(),
                cron == null || cron.getPreviousFireTime() == null
                        ? null
                        : cron.getPreviousFireTime().getTime(),
                runs.last(corpId).orElse(null));
    }

    private String state(String corpId) throws SchedulerException, SQLException {
        if (runs.running(corpId)) {
            return "RUNNING";
        }
        Trigger.TriggerState state = scheduler.getTriggerState(JobKeys.syncTrigger(corpId));
        return switch (state) {
            case NORMAL, BLOCKED, COMPLETE -> "NORMAL";
            case ERROR -> "ERROR";
            case PAUSED, NONE -> "PAUSED";
        };
    }

    private JobKey existing(String corpId) throws SchedulerException {
        JobKey key = JobKeys.sync(corpId);
        if (!scheduler.checkExists(key)) {
            throw new UnknownJobException(corpId);
        }
        return key;
    }
}
