package io.orgsync.schedule;

import io.orgsync.logging.Failures;
import io.orgsync.sync.SyncProgress;
import io.orgsync.sync.SyncRunner;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job of one enterprise (its JobKey name is the corp id). Concurrent execution is
 * disallowed per JobKey across the whole cluster: that is the one-runner-per-enterprise rule.
 */
@DisallowConcurrentExecution
public final class SyncJob implements Job {
    private static final Logger log = LoggerFactory.getLogger(SyncJob.class);
    private final SyncRunner runner;

    SyncJob(SyncRunner runner) {
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String corpId = context.getJobDetail().getKey().getName();
        try {
            runner.run(corpId, SyncProgress.NONE);
        } catch (Exception e) {
            // the run row and the alert already tell; Quartz must not retry in a loop
            log.warn("Sync job of {} ended with an error: {}", corpId, Failures.describe(e));
        }
    }
}
