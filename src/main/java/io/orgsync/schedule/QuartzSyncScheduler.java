package io.orgsync.schedule;

import io.orgsync.alert.Alerts;
import io.orgsync.alert.MailSink;
import io.orgsync.enterprise.EnterpriseJobs;
import io.orgsync.sync.RunStore;
import io.orgsync.sync.SyncRunner;
import io.orgsync.time.Waiter;
import java.sql.SQLException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The scheduler of a writing node: the package's parts, each with its one job, on one Quartz scheduler. */
final class QuartzSyncScheduler implements SyncScheduler {
    private static final Logger log = LoggerFactory.getLogger(QuartzSyncScheduler.class);
    private final QuartzSetup quartz;
    private final FiringGate gate;
    private final EnterpriseJobScheduler enterpriseJobs;
    private final QuartzJobControl jobs;
    private final MaintenanceSchedule maintenance;
    private final AlertMailQueue mail;
    private final Handover handover;

    QuartzSyncScheduler(SchedulerConfig config, RunStore runs, Waiter waiter) throws SchedulerException {
        this.quartz = QuartzSetup.create(config);
        this.gate = new FiringGate(quartz.scheduler, config.executes());
        this.enterpriseJobs = new EnterpriseJobScheduler(quartz.scheduler);
        this.jobs = new QuartzJobControl(quartz.scheduler, runs);
        this.maintenance = new MaintenanceSchedule(quartz.scheduler);
        this.mail = new AlertMailQueue(quartz.scheduler, config.smtp());
        this.handover = new Handover(quartz.scheduler, config.shutdownGrace(), waiter);
    }

    @Override
    public JobControl jobs() {
        return jobs;
    }

    @Override
    public EnterpriseJobs enterpriseJobs() {
        return enterpriseJobs;
    }

    @Override
    public MailSink.MailQueue mailQueue() {
        return mail;
    }

    @Override
    public void start(SyncRunner runner, MaintenanceJob.Task task, Enterprises enterprises, Alerts alerts)
            throws SchedulerException, SQLException {
        enterpriseJobs.reconcile(enterprises.listings(), alerts);
        maintenance.ensure();
        quartz.scheduler.setJobFactory(new NodeJobFactory(runner, task));
        gate.open();
    }

    @Override
    public void stopTakingJobs() throws SchedulerException {
        gate.fence();
    }

    @Override
    public void resumeTakingJobs() throws SchedulerException {
        gate.lift();
    }

    @Override
    public boolean started() {
        return gate.firing();
    }

    @Override
    public boolean inStandby() throws SchedulerException {
        return gate.inStandby();
    }

    @Override
    public void triggerMaintenance() throws SchedulerException {
        maintenance.triggerNow();
    }

    @Override
    public void close() {
        try {
            if (gate.closeForStop()) {
                handover.run();
            }
        } catch (SchedulerException e) {
            log.warn("Handing over the running syncs: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        quartz.shutdown();
    }
}
