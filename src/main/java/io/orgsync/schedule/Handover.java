package io.orgsync.schedule;

import io.orgsync.time.Waiter;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned stop of a node that executes jobs: it stops taking jobs, lets running syncs finish
 * for up to the shutdown grace (ORGSYNC_SHUTDOWN_GRACE_SECONDS), then hands the rest over to
 * another node and waits for them to end.
 */
final class Handover {
    private static final Logger log = LoggerFactory.getLogger(Handover.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private final Scheduler scheduler;
    private final Duration grace;
    private final Waiter waiter;

    Handover(Scheduler scheduler, Duration grace, Waiter waiter) {
        this.scheduler = scheduler;
        this.grace = grace;
        this.waiter = waiter;
    }

    /**
     * Goes to standby, then waits up to the grace for this node's running syncs; for each one
     * still running it stores a one-shot trigger of its job and interrupts it: the run ends
     * ABANDONED ("handed over"), and as the job disallows concurrent execution, the trigger stays
     * BLOCKED until then and is taken by another node right after. Syncs that a trigger acquired
     * just before the standby fired are handed over too, as they show up.
     */
    void run() throws SchedulerException, InterruptedException {
        scheduler.standby();
        long deadline = waiter.nanoTime() + grace.toNanos();
        Map<String, JobExecutionContext> running = runningSyncs();
        if (!running.isEmpty()) {
            log.info(
                    "Stopping: waiting up to {} s (ORGSYNC_SHUTDOWN_GRACE_SECONDS) for the running syncs of {}",
                    grace.toSeconds(),
                    running.values().stream()
                            .map(c -> c.getJobDetail().getKey().getName())
                            .toList());
        }
        while (!running.isEmpty() && waiter.nanoTime() - deadline < 0) {
            waiter.sleep(POLL);
            running = runningSyncs();
        }
        Set<String> handedOver = new HashSet<>();
        while (!running.isEmpty()) {
            for (Map.Entry<String, JobExecutionContext> e : running.entrySet()) {
                if (handedOver.add(e.getKey())) {
                    JobExecutionContext context = e.getValue();
                    OneShots.fire(scheduler, context.getJobDetail().getKey(), "handover-");
                    scheduler.interrupt(context.getFireInstanceId());
                    log.info(
                            "Stopping: the sync of {} is still running after the grace; handing it over to another node",
                            context.getJobDetail().getKey().getName());
                }
            }
            waiter.sleep(POLL);
            running = runningSyncs();
        }
    }

    /** This node's executing sync jobs by fire instance id. */
    private Map<String, JobExecutionContext> runningSyncs() throws SchedulerException {
        Map<String, JobExecutionContext> out = new LinkedHashMap<>();
        for (JobExecutionContext context : scheduler.getCurrentlyExecutingJobs()) {
            if (JobKeys.SYNC_GROUP.equals(context.getJobDetail().getKey().getGroup())) {
                out.put(context.getFireInstanceId(), context);
            }
        }
        return out;
    }
}
