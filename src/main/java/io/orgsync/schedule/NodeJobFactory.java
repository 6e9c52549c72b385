package io.orgsync.schedule;

import io.orgsync.sync.SyncRunner;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.simpl.SimpleJobFactory;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Gives the jobs Quartz fires on this node what they work with; other jobs (alert mails) are built the stock way. */
final class NodeJobFactory implements JobFactory {
    private final SimpleJobFactory stock = new SimpleJobFactory();
    private final SyncRunner runner;
    private final MaintenanceJob.Task maintenance;

    NodeJobFactory(SyncRunner runner, MaintenanceJob.Task maintenance) {
        this.runner = runner;
        this.maintenance = maintenance;
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        Class<? extends Job> type = bundle.getJobDetail().getJobClass();
        if (type == SyncJob.class) {
            return new SyncJob(runner);
        }
        if (type == MaintenanceJob.class) {
            return new MaintenanceJob(maintenance);
        }
        return stock.newJob(bundle, scheduler);
    }
}
