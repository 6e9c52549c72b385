package io.orgsync.schedule;

import io.orgsync.logging.Failures;
import io.orgsync.sync.SyncProgress;
import io.orgsync.sync.SyncRunner;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job of one enterprise (its JobKey name is the corp id). Concurrent execution is
 * disallowed per JobKey across the whole cluster: that is the one-runner-per-enterprise rule.
 * Interrupting it (a stopping node handing the run over) interrupts the run's thread: the run
 * stops at its next department call and ends ABANDONED.
 */
@DisallowConcurrentExecution
public final class SyncJob implements InterruptableJob {
    private static final Logger log = LoggerFactory.getLogger(SyncJob.class);
    private final SyncRunner runner;
    /** The thread running the sync, while it does; guarded by itself so that an interrupt never outlives the run. */
    private final Thread[] worker = new Thread[1];

    SyncJob(SyncRunner runner) {
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String corpId = context.getJobDetail().getKey().getName();
        synchronized (worker) {
            worker[0] = Thread.currentThread();
        }
        try {
            // a recovery (the node that ran the job died) takes over that node's run at once
            runner.run(corpId, SyncProgress.NONE, context.isRecovering());
        } catch (Exception e) {
            // the run row and the alert already tell; Quartz must not retry in a loop
            log.warn("Sync job of {} ended with an error: {}", corpId, Failures.describe(e));
        } finally {
            synchronized (worker) {
                worker[0] = null;
                // a late interrupt must not reach Quartz's own bookkeeping on this pooled thread
                Thread.interrupted();
            }
        }
    }

    @Override
    public void interrupt() {
        synchronized (worker) {
            if (worker[0] != null) {
                worker[0].interrupt();
            }
        }
    }
}
