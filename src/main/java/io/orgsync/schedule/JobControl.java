package io.orgsync.schedule;

import io.orgsync.enterprise.EnterpriseListing;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.quartz.SchedulerException;

/**
 * The admin's handle on the environment's sync jobs. They live in Quartz's shared tables, so a
 * node that executes no jobs controls them for the whole environment just as well. Refusals are
 * {@link UnknownJobException}, {@link JobConflictException}, or, on a read-only node, a
 * {@link io.orgsync.error.RefusedException} with reason READ_ONLY.
 */
public interface JobControl {
    /** The views of the given enterprises' jobs, in the same order. */
    List<JobView> jobs(Collection<EnterpriseListing> enterprises) throws SchedulerException, SQLException;

    JobView view(String corpId) throws SchedulerException, SQLException;

    JobView pause(String corpId) throws SchedulerException, SQLException;

    /** Refused for a disabled enterprise: its job has no schedule to resume. */
    JobView resume(String corpId) throws SchedulerException, SQLException;

    /**
     * Fires the job once now. Refused while it runs or a trigger of it is about to, and while it
     * is paused unless {@code force}: a forced run leaves the job paused.
     */
    JobView trigger(String corpId, boolean force) throws SchedulerException, SQLException;

    /** Pauses every sync job; alert mails and forced triggers still fire. */
    void pauseAll() throws SchedulerException, SQLException;

    /** Resumes every sync job, those paused one by one included. */
    void resumeAll() throws SchedulerException, SQLException;
}
