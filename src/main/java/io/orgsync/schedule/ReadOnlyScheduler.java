package io.orgsync.schedule;

import io.orgsync.alert.Alerts;
import io.orgsync.alert.MailSink;
import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.EnterpriseJobs;
import io.orgsync.enterprise.EnterpriseListing;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.sync.SyncRunner;
import java.util.Collection;
import java.util.List;

/**
 * The scheduler of a read-only node (ORGSYNC_READ_ONLY): it writes nothing, so it has no Quartz
 * scheduler, fires nothing, and refuses every job operation with READ_ONLY, so that a caller is
 * told to ask a writing node instead of meeting a missing scheduler.
 */
final class ReadOnlyScheduler implements SyncScheduler, JobControl, EnterpriseJobs, MailSink.MailQueue {

    private static RefusedException refused() {
        return new RefusedException(
                Refusal.READ_ONLY, "this read-only node has no scheduler; ask a writing node for jobs");
    }

    @Override
    public JobControl jobs() {
        return this;
    }

    @Override
    public EnterpriseJobs enterpriseJobs() {
        return this;
    }

    @Override
    public MailSink.MailQueue mailQueue() {
        return this;
    }

    /** Nothing to reconcile or fire: the enterprises are not even read. */
    @Override
    public void start(SyncRunner runner, MaintenanceJob.Task maintenance, Enterprises enterprises, Alerts alerts) {}

    @Override
    public void stopTakingJobs() {}

    @Override
    public void resumeTakingJobs() {}

    @Override
    public boolean started() {
        return false;
    }

    @Override
    public boolean inStandby() {
        return true;
    }

    @Override
    public void triggerMaintenance() {
        throw refused();
    }

    @Override
    public void close() {}

    @Override
    public List<JobView> jobs(Collection<EnterpriseListing> enterprises) {
        throw refused();
    }

    @Override
    public JobView view(String corpId) {
        throw refused();
    }

    @Override
    public JobView pause(String corpId) {
        throw refused();
    }

    @Override
    public JobView resume(String corpId) {
        throw refused();
    }

    @Override
    public JobView trigger(String corpId, boolean force) {
        throw refused();
    }

    @Override
    public void pauseAll() {
        throw refused();
    }

    @Override
    public void resumeAll() {
        throw refused();
    }

    @Override
    public void scheduleOrUpdate(Enterprise enterprise) {
        throw refused();
    }

    @Override
    public void remove(String corpId) {
        throw refused();
    }

    @Override
    public void enqueue(String recipients, String subject, String body) {
        throw refused();
    }
}
