package io.orgsync.schedule;

import java.time.Duration;

/**
 * What a node's scheduler needs from the settings, checked when it is built: a wrong value here
 * is a wiring mistake, and it should stop the node before Quartz touches the shared tables.
 *
 * @param executes whether this node runs jobs; a node that does not still pauses, resumes and
 *                 triggers them in the shared tables
 * @param threads  how many syncs this node runs at once (ORGSYNC_SYNC_THREADS)
 * @param smtp     the mail server for alert e-mails, null when no alert goes by e-mail
 */
public record SchedulerConfig(
        String schedulerName,
        String instanceId,
        int threads,
        boolean executes,
        String dbUrl,
        String dbUser,
        String dbPassword,
        Duration shutdownGrace,
        Smtp smtp) {

    /** The mail server for e-mail alerts. */
    public record Smtp(String host, int port, String from) {
        public Smtp {
            require(host != null && !host.isBlank(), "the SMTP host (ORGSYNC_SMTP_HOST) is empty");
            require(port >= 1 && port <= 65535, "the SMTP port (ORGSYNC_SMTP_PORT) must be 1 to 65535, not " + port);
            require(from != null && !from.isBlank(), "the sender address (ORGSYNC_SMTP_FROM) is empty");
        }
    }

    public SchedulerConfig {
        require(schedulerName != null && !schedulerName.isBlank(), "the scheduler name (from ORGSYNC_ENV) is empty");
        require(instanceId != null && !instanceId.isBlank(), "the instance id (ORGSYNC_INSTANCE_ID) is empty");
        require(threads >= 1, "the sync threads (ORGSYNC_SYNC_THREADS) must be at least 1, not " + threads);
        require(dbUrl != null && !dbUrl.isBlank(), "the database URL (ORGSYNC_DB_URL) is empty");
        require(
                shutdownGrace != null && !shutdownGrace.isNegative(),
                "the shutdown grace (ORGSYNC_SHUTDOWN_GRACE_SECONDS) must be 0 or more seconds");
    }

    private static void require(boolean holds, String problem) {
        if (!holds) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The password never shows. */
    @Override
    public String toString() {
        return "SchedulerConfig[" + schedulerName + ", " + instanceId + ", threads=" + threads + ", executes="
                + executes + ", shutdownGrace=" + shutdownGrace + ", smtp=" + smtp + "]";
    }
}
