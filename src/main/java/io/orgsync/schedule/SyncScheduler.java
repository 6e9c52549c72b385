package io.orgsync.schedule;

import io.orgsync.alert.Alerts;
import io.orgsync.alert.MailSink;
import io.orgsync.enterprise.EnterpriseJobs;
import io.orgsync.enterprise.EnterpriseListing;
import io.orgsync.sync.RunStore;
import io.orgsync.sync.SyncRunner;
import io.orgsync.time.Waiter;
import java.sql.SQLException;
import java.util.Collection;
import org.quartz.SchedulerException;

/**
 * A node's scheduler, the face of this package: the enterprises' sync jobs, the maintenance job
 * and queued alert mails in Quartz's clustered tables. {@link #create} builds it for a writing
 * node, which fires jobs once {@link #start}ed if its config says it executes them; a read-only
 * node gets {@link #readOnly}, which fires nothing and refuses every job operation.
 */
public interface SyncScheduler extends AutoCloseable {
    /** Where {@link #start} reads the environment's enterprises from. */
    interface Enterprises {
        Collection<EnterpriseListing> listings() throws SQLException;
    }

    /**
     * Joins the environment's Quartz cluster; nothing fires before {@link #start}. {@code waiter}
     * is what a planned stop waits on for running syncs.
     */
    static SyncScheduler create(SchedulerConfig config, RunStore runs, Waiter waiter) throws SchedulerException {
        return new QuartzSyncScheduler(config, runs, waiter);
    }

    static SyncScheduler readOnly() {
        return new ReadOnlyScheduler();
    }

    /** Pause, resume, trigger and views of the environment's sync jobs. */
    JobControl jobs();

    /** What the enterprise service calls as enterprises are added, changed and removed. */
    EnterpriseJobs enterpriseJobs();

    /** Alert mails, sent by whichever node executes jobs. */
    MailSink.MailQueue mailQueue();

    /**
     * Makes the jobs match the enterprises (missing ones created, orphans removed, the maintenance
     * job there), then starts firing, unless this node executes no jobs or is fenced: then it
     * starts when the fence lifts. An enterprise whose job cannot be scheduled is alerted through
     * {@code alerts} and shown as its problem; the node starts anyway.
     */
    void start(SyncRunner runner, MaintenanceJob.Task maintenance, Enterprises enterprises, Alerts alerts)
            throws SchedulerException, SQLException;

    /** Fencing: takes no new jobs while staying in the cluster (check-ins and recovery go on). */
    void stopTakingJobs() throws SchedulerException;

    /** The fence lifted: fires again if {@link #start} asked for it. */
    void resumeTakingJobs() throws SchedulerException;

    /** Whether this node fires jobs right now. */
    boolean started();

    /** Whether this node's scheduler takes no jobs now (not started yet, fenced or stopping). */
    boolean inStandby() throws SchedulerException;

    /** Runs the maintenance job once now, on whichever node that executes jobs takes it. */
    void triggerMaintenance() throws SchedulerException;

    /**
     * A planned stop: takes no more jobs, lets running syncs finish for up to the shutdown grace,
     * then hands the rest over to another node. Call it before anything the syncs use (upstream
     * client, tokens, alerts, pools) is closed.
     */
    @Override
    void close();
}
