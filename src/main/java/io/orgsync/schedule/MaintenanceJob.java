package io.orgsync.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's housekeeping (pruning old rows), as one Quartz job: its trigger fires on one
 * node of the cluster, concurrent execution is disallowed cluster-wide, and nodes that execute
 * no jobs never run it.
 */
@DisallowConcurrentExecution
public final class MaintenanceJob implements Job {
    /** What the job does; the node assembles it. */
    public interface Task {
        void run() throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(MaintenanceJob.class);
    private final Task task;

    MaintenanceJob(Task task) {
        this.task = task;
    }

    @Override
    public void execute(JobExecutionContext context) {
        try {
            task.run();
        } catch (Exception e) {
            // the next hour tries again; a failing prune must not make Quartz refire in a loop
            log.warn(
                    "Maintenance failed, trying again at its next hour: {}",
                    e.getClass().getSimpleName() + ": " + safe(e));
        }
    }

    /** SQL exceptions' messages can quote statements: only their SQL state goes to the log. */
    private static String safe(Exception e) {
        return e instanceof java.sql.SQLException sql
                ? "SQL state " + sql.getSQLState()
                : String.valueOf(e.getMessage());
    }
}
