package io.orgsync.schedule;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Whether this node's scheduler fires jobs. Three things decide it and may come in any order:
 * the node asking to start, fencing (a newer build is alive) and the node stopping. Quartz
 * fires only while started is asked, no fence stands and no stop has begun. Starting and going
 * to standby at once would not do, as Quartz fires the triggers it acquired in between.
 */
final class FiringGate {
    private final Scheduler scheduler;
    private final boolean executes;
    private boolean fenced;
    private boolean startWanted;
    /** Set once the node stops: a fence lifting then must not start firing again. */
    private boolean stopping;

    FiringGate(Scheduler scheduler, boolean executes) {
        this.scheduler = scheduler;
        this.executes = executes;
    }

    /** Starts firing (only on nodes that execute jobs), unless fenced: then when the fence lifts. */
    synchronized void open() throws SchedulerException {
        startWanted = executes;
        if (executes && !fenced) {
            scheduler.start();
        }
    }

    /**
     * Stops taking new jobs while staying in the cluster (check-ins and recovery go on). A node
     * fenced before it started stays unstarted: the newer node recovers for it.
     */
    synchronized void fence() throws SchedulerException {
        fenced = true;
        if (executes && scheduler.isStarted() && !scheduler.isInStandbyMode()) {
            scheduler.standby();
        }
    }

    /** Lifts the fence: starts (or restarts) firing if {@link #open} asked for it. */
    synchronized void lift() throws SchedulerException {
        fenced = false;
        if (startWanted && !stopping && scheduler.isInStandbyMode()) {
            scheduler.start();
        }
    }

    /**
     * Closes the gate for good. True when this node was firing and may have syncs running: the
     * caller then goes to standby and hands them over.
     */
    boolean closeForStop() throws SchedulerException {
        synchronized (this) {
            stopping = true;
        }
        return executes && scheduler.isStarted() && !scheduler.isShutdown();
    }

    boolean firing() {
        try {
            return scheduler.isStarted() && !scheduler.isInStandbyMode() && !scheduler.isShutdown();
        } catch (SchedulerException e) {
            return false;
        }
    }

    boolean inStandby() throws SchedulerException {
        return scheduler.isInStandbyMode();
    }
}
