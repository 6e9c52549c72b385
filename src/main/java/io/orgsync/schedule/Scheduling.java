package io.orgsync.schedule;

import io.orgsync.alert.MailSink;
import io.orgsync.common.RequestException;
import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.EnterpriseJobs;
import io.orgsync.logging.Failures;
import io.orgsync.enterprise.EnterpriseListing;
import io.orgsync.store.Database;
import io.orgsync.sync.RunStore;
import io.orgsync.sync.SyncRunner;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.jobs.ee.mail.SendMailJob;
import org.quartz.simpl.SimpleJobFactory;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;

/**
 * The Quartz scheduler of this node and the sync jobs in it: one durable job per enterprise
 * (recovery requested, so that a survivor re-runs the job of a node that died mid-sync) with a
 * cron trigger. A node whose scheduler is disabled creates the scheduler but never starts it:
 * it can still pause, resume and trigger jobs in the shared tables, and runs none.
 */
public final class Scheduling implements EnterpriseJobs, MailSink.MailQueue, AutoCloseable {
    public static final String GROUP = "orgsync-sync";
    /** One-shot triggers of admin "trigger now" and of hand-overs: their own group, so that a pending one can be found. */
    public static final String MANUAL_GROUP = "orgsync-manual";
    /** The cluster's housekeeping job (pruning): one job, so one runner in the whole cluster at a time. */
    public static final String MAINTENANCE_GROUP = "orgsync-maintenance";
    static final JobKey MAINTENANCE_JOB = JobKey.jobKey("prune", MAINTENANCE_GROUP);
    private static final TriggerKey MAINTENANCE_TRIGGER = TriggerKey.triggerKey("hourly", MAINTENANCE_GROUP);
    /** Hourly, off the full hour that many enterprise crons use. */
    private static final String MAINTENANCE_CRON = "0 47 * * * ?";
    /** Enterprises are Chinese companies: their cron expressions mean Beijing time. */
    public static final TimeZone CRON_ZONE = TimeZone.getTimeZone("Asia/Shanghai");
    private static final Logger log = LoggerFactory.getLogger(Scheduling.class);

    private final Scheduler scheduler;
    private final RunStore runs;
    private final boolean executes;
    private final String dataSourceName;
    private final Duration shutdownGrace;
    private Smtp smtp;
    /** Fencing and start-up may come in either order: firing happens only when both agree. */
    private boolean fenced;
    private boolean startWanted;
    /** Set once the node stops: a fence lifting then must not start firing again. */
    private boolean stopping;

    /** The mail server for e-mail alerts. */
    public record Smtp(String host, int port, String from) {
    }

    /** What the scheduler needs from the settings. */
    public record Config(String schedulerName, String instanceId, int threads, boolean executes,
                         String dbUrl, String dbUser, String dbPassword, Duration shutdownGrace) {
        @Override
        public String toString() {
            return "Config[" + schedulerName + ", " + instanceId + ", threads=" + threads + ", executes=" + executes
                    + ", shutdownGrace=" + shutdownGrace + "]";
        }
    }

    public Scheduling(Config config, RunStore runs) throws SchedulerException {
        this.runs = runs;
        this.executes = config.executes();
        this.shutdownGrace = config.shutdownGrace();
        this.dataSourceName = "orgsync-" + config.instanceId() + "-" + UUID.randomUUID().toString().substring(0, 6);
        // its own pool: threadCount + 3 connections, never shared with sync transactions (Quartz #957)
        int poolSize = (config.executes() ? config.threads() : 1) + 3;
        Database quartzDb = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword(), false, "quartz-" + config.instanceId(), poolSize);
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new PooledConnectionProvider(quartzDb));

        Properties p = baseProperties();
        p.setProperty("org.quartz.scheduler.instanceName", config.schedulerName());
        p.setProperty("org.quartz.scheduler.instanceId", config.instanceId());
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        if (config.executes()) {
            p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(config.threads()));
        } else {
            p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.ZeroSizeThreadPool");
            p.remove("org.quartz.threadPool.threadCount");
            p.remove("org.quartz.threadPool.makeThreadsDaemons");
        }
        this.scheduler = new StdSchedulerFactory(p).getScheduler();
        // several nodes of one environment may live in one JVM (tests): keep each its own
        SchedulerRepository.getInstance().remove(config.schedulerName());
    }

    private static Properties baseProperties() {
        Properties p = new Properties();
        Path local = Path.of("quartz.properties");
        try (InputStream in = Files.exists(local) ? Files.newInputStream(local)
                : Scheduling.class.getClassLoader().getResourceAsStream("quartz.properties")) {
            if (in == null) {
                throw new IllegalStateException("quartz.properties is missing from the jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read quartz.properties: " + e.getMessage(), e);
        }
        return p;
    }

    /**
     * Starts executing jobs (only on nodes whose scheduler is enabled), unless the node is fenced
     * already: then it starts when the fence lifts. Starting and going to standby at once would
     * not do, as Quartz fires triggers it acquired in between.
     */
    public synchronized void start(SyncRunner runner, MaintenanceJob.Task maintenance) throws SchedulerException {
        SimpleJobFactory stock = new SimpleJobFactory();
        scheduler.setJobFactory((bundle, s) -> bundle.getJobDetail().getJobClass() == SyncJob.class ? new SyncJob(runner)
                : bundle.getJobDetail().getJobClass() == MaintenanceJob.class ? new MaintenanceJob(maintenance)
                : stock.newJob(bundle, s));
        startWanted = executes;
        if (executes && !fenced) {
            scheduler.start();
        }
    }

    public boolean executes() {
        return executes;
    }

    public boolean started() {
        try {
            return scheduler.isStarted() && !scheduler.isInStandbyMode() && !scheduler.isShutdown();
        } catch (SchedulerException e) {
            return false;
        }
    }

    /**
     * Stops taking new jobs while staying in the cluster (check-ins and recovery go on): for
     * fencing. A node fenced before it started stays unstarted: the newer node recovers for it.
     */
    public synchronized void standby() throws SchedulerException {
        fenced = true;
        if (executes && scheduler.isStarted() && !scheduler.isInStandbyMode()) {
            scheduler.standby();
        }
    }

    /** Lifts the fence: starts (or restarts) firing if {@link #start} asked for it. */
    public synchronized void resumeTaking() throws SchedulerException {
        fenced = false;
        if (startWanted && !stopping && scheduler.isInStandbyMode()) {
            scheduler.start();
        }
    }

    public boolean inStandby() throws SchedulerException {
        return scheduler.isInStandbyMode();
    }

    @Override
    public void scheduleOrUpdate(Enterprise e) {
        schedule(e.corpId(), e.cron(), e.enabled());
    }

    private void schedule(String corpId, String cronExpression, boolean enabled) {
        JobKey job = JobKey.jobKey(corpId, GROUP);
        TriggerKey triggerKey = TriggerKey.triggerKey(corpId, GROUP);
        try {
            if (!scheduler.checkExists(job)) {
                scheduler.addJob(JobBuilder.newJob(SyncJob.class).withIdentity(job).storeDurably().requestRecovery()
                        .withDescription("sync of " + corpId).build(), false);
            }
            Trigger existing = scheduler.getTrigger(triggerKey);
            if (!enabled) {
                if (existing != null) {
                    scheduler.unscheduleJob(triggerKey);
                }
                return;
            }
            CronTrigger trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey).forJob(job)
                    .withSchedule(CronScheduleBuilder.cronSchedule(CronSpread.spread(cronExpression, corpId))
                            .inTimeZone(CRON_ZONE).withMisfireHandlingInstructionFireAndProceed())
                    .usingJobData("cron", cronExpression)
                    .build();
            if (existing == null) {
                scheduler.scheduleJob(trigger);
            } else if (!(existing instanceof CronTrigger cron) || !cronExpression.equals(cron.getJobDataMap().getString("cron"))) {
                boolean paused = scheduler.getTriggerState(triggerKey) == Trigger.TriggerState.PAUSED;
                scheduler.rescheduleJob(triggerKey, trigger);
                if (paused) {
                    scheduler.pauseTrigger(triggerKey);
                }
            }
        } catch (SchedulerException ex) {
            throw new IllegalStateException("could not schedule the sync of " + corpId + ": " + Failures.describe(ex), ex);
        }
    }

    public void useSmtp(Smtp smtp) {
        this.smtp = smtp;
    }

    /** Queues an alert e-mail as a durable one-shot job: it survives this node crashing before it is sent. */
    @Override
    public void enqueue(String recipients, String subject, String body) throws SchedulerException {
        if (smtp == null) {
            throw new IllegalStateException("no SMTP server configured (ORGSYNC_SMTP_HOST)");
        }
        JobDetail mail = JobBuilder.newJob(AlertMailJob.class)
                .withIdentity("mail-" + UUID.randomUUID(), "orgsync-alert-mail")
                .storeDurably(false)
                .requestRecovery()
                .usingJobData(SendMailJob.PROP_SMTP_HOST, smtp.host())
                .usingJobData(AlertMailJob.PROP_SMTP_PORT, String.valueOf(smtp.port()))
                .usingJobData(SendMailJob.PROP_SENDER, smtp.from())
                .usingJobData(SendMailJob.PROP_RECIPIENT, recipients)
                .usingJobData(SendMailJob.PROP_SUBJECT, subject)
                .usingJobData(SendMailJob.PROP_MESSAGE, body)
                .build();
        scheduler.scheduleJob(mail, TriggerBuilder.newTrigger().forJob(mail).startNow().build());
    }

    @Override
    public void remove(String corpId) {
        try {
            scheduler.deleteJob(JobKey.jobKey(corpId, GROUP));
        } catch (SchedulerException ex) {
            throw new IllegalStateException("could not remove the job of " + corpId + ": " + Failures.describe(ex), ex);
        }
    }

    /**
     * Makes the jobs match the environment's enterprises: missing jobs created, orphans removed;
     * and makes sure the maintenance job is there.
     */
    public void reconcile(Collection<EnterpriseListing> enterprises) throws SchedulerException {
        Set<String> wanted = new HashSet<>();
        for (EnterpriseListing e : enterprises) {
            wanted.add(e.corpId());
            schedule(e.corpId(), e.cron(), e.enabled());
        }
        ensureMaintenance();
        for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!wanted.contains(key.getName())) {
                log.info("Removing the job of {}: no such enterprise in this environment", key.getName());
                scheduler.deleteJob(key);
            }
        }
    }

    public JobView pause(String corpId) throws SchedulerException, SQLException {
        scheduler.pauseJob(existing(corpId));
        return view(corpId);
    }

    public JobView resume(String corpId) throws SchedulerException, SQLException {
        JobKey key = existing(corpId);
        // a disabled enterprise has no schedule to resume: answering 200 with PAUSED again would
        // leave the operator guessing
        if (scheduler.getTrigger(TriggerKey.triggerKey(corpId, GROUP)) == null) {
            throw RequestException.conflict("the enterprise " + corpId + " is disabled, so its job has no schedule to resume; enable it with "
                    + "PUT /admin/api/enterprises/" + corpId + " {\"enabled\": true}");
        }
        scheduler.resumeJob(key);
        return view(corpId);
    }

    /**
     * Fires the job now. Quartz would fire a paused job too (the one-shot trigger is not paused),
     * so a paused job needs {@code force}; a running one is refused, it would only queue up.
     * After pause-all, though, Quartz stores every new trigger paused: a forced one is resumed
     * at once, or it would wait silently for resume-all.
     */
    public JobView trigger(String corpId, boolean force) throws SchedulerException, SQLException {
        JobKey key = existing(corpId);
        if (runs.running(corpId)) {
            throw RequestException.conflict("the job of " + corpId + " is running; wait for the run to finish");
        }
        // a trigger sent a moment ago may not have started yet (another node picks it up within
        // idleWaitTime): a second one would only queue a run right behind the first
        if (pendingTrigger(key)) {
            throw RequestException.conflict("the job of " + corpId + " was triggered and is about to run; wait for the run to finish");
        }
        if (!force && "PAUSED".equals(state(corpId))) {
            throw RequestException.conflict("the job of " + corpId + " is paused; resume it, or trigger with ?force=true to run it once anyway");
        }
        fireOnce(key, "trigger-");
        return view(corpId);
    }

    private void fireOnce(JobKey key, String prefix) throws SchedulerException {
        Trigger once = TriggerBuilder.newTrigger().withIdentity(prefix + UUID.randomUUID(), MANUAL_GROUP).forJob(key).startNow().build();
        scheduler.scheduleJob(once);
        // a trigger stored while its group counts as paused is stored PAUSED and would never fire
        if (scheduler.getTriggerState(once.getKey()) == Trigger.TriggerState.PAUSED) {
            scheduler.resumeTrigger(once.getKey());
        }
    }

    /**
     * The maintenance job and its hourly trigger, created by whichever node comes first. Only
     * nodes that execute jobs run it; a trigger left in ERROR (a node of an older build that did
     * not know the job class took it) is reset, or pruning would stop for good.
     */
    private void ensureMaintenance() throws SchedulerException {
        if (!scheduler.checkExists(MAINTENANCE_JOB)) {
            scheduler.addJob(JobBuilder.newJob(MaintenanceJob.class).withIdentity(MAINTENANCE_JOB).storeDurably()
                    .withDescription("prunes runs and resolve memories past ORGSYNC_RUN_RETENTION_DAYS").build(), true);
        }
        if (!scheduler.checkExists(MAINTENANCE_TRIGGER)) {
            try {
                scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(MAINTENANCE_TRIGGER).forJob(MAINTENANCE_JOB)
                        .withSchedule(CronScheduleBuilder.cronSchedule(MAINTENANCE_CRON).inTimeZone(CRON_ZONE)
                                .withMisfireHandlingInstructionFireAndProceed())
                        .build());
            } catch (ObjectAlreadyExistsException e) {
                // nodes starting together: another one stored it first
            }
        } else if (scheduler.getTriggerState(MAINTENANCE_TRIGGER) == Trigger.TriggerState.ERROR) {
            scheduler.resetTriggerFromErrorState(MAINTENANCE_TRIGGER);
        }
    }

    /** Runs the maintenance job once now, on whichever node that executes jobs takes it. */
    public void triggerMaintenance() throws SchedulerException {
        ensureMaintenance();
        fireOnce(MAINTENANCE_JOB, "maintenance-");
    }

    /**
     * Whether a manual one-shot trigger of the job is waiting or its run is under way. Such a
     * trigger is deleted when its job completes; COMPLETE means fired and still executing (the
     * run row may not exist yet). A dead node's COMPLETE triggers are removed by cluster recovery.
     */
    private boolean pendingTrigger(JobKey key) throws SchedulerException {
        for (Trigger t : scheduler.getTriggersOfJob(key)) {
            if (MANUAL_GROUP.equals(t.getKey().getGroup())) {
                Trigger.TriggerState state = scheduler.getTriggerState(t.getKey());
                if (state != Trigger.TriggerState.NONE && state != Trigger.TriggerState.ERROR) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Pauses the sync jobs only. Quartz's pauseAll() would also pause every trigger created later
     * in any group, alert e-mails and forced triggers included, which then never fire.
     */
    public void pauseAll() throws SchedulerException {
        scheduler.pauseTriggers(GroupMatcher.triggerGroupEquals(GROUP));
    }

    /** Resumes every trigger group, sync jobs paused one by one included (and a pause-all marker of an older build). */
    public void resumeAll() throws SchedulerException {
        scheduler.resumeAll();
    }

    public List<JobView> jobs(Collection<EnterpriseListing> enterprises) throws SchedulerException, SQLException {
        List<JobView> out = new ArrayList<>();
        for (EnterpriseListing e : enterprises) {
            out.add(view(e.corpId()));
        }
        return out;
    }

    public JobView view(String corpId) throws SchedulerException, SQLException {
        CronTrigger cron = (CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey(corpId, GROUP));
        return new JobView(corpId, state(corpId), cron == null ? null : cron.getJobDataMap().getString("cron"),
                cron == null || cron.getNextFireTime() == null ? null : cron.getNextFireTime().getTime(),
                cron == null || cron.getPreviousFireTime() == null ? null : cron.getPreviousFireTime().getTime(),
                runs.last(corpId).orElse(null));
    }

    /** RUNNING is read from the run rows, which every node sees, not from this node's own threads. */
    private String state(String corpId) throws SchedulerException, SQLException {
        if (runs.running(corpId)) {
            return "RUNNING";
        }
        Trigger.TriggerState state = scheduler.getTriggerState(TriggerKey.triggerKey(corpId, GROUP));
        return switch (state) {
            case NORMAL, BLOCKED, COMPLETE -> "NORMAL";
            case ERROR -> "ERROR";
            case PAUSED, NONE -> "PAUSED";
        };
    }

    /**
     * Waits up to the grace for this node's running syncs, then, for each one still running,
     * stores a one-shot trigger of its job and interrupts it: the run ends ABANDONED ("handed
     * over"), and as the job disallows concurrent execution, the trigger stays BLOCKED until then
     * and is taken by another node right after. Syncs that a trigger acquired just before the
     * standby fired are handed over too, as they show up.
     */
    private void handOverRunningSyncs() throws SchedulerException, InterruptedException {
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        Map<String, JobExecutionContext> running = runningSyncs();
        if (!running.isEmpty()) {
            log.info("Stopping: waiting up to {} s (ORGSYNC_SHUTDOWN_GRACE_SECONDS) for the running syncs of {}",
                    shutdownGrace.toSeconds(), running.values().stream().map(c -> c.getJobDetail().getKey().getName()).toList());
        }
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            running = runningSyncs();
        }
        Set<String> handedOver = new HashSet<>();
        while (!running.isEmpty()) {
            for (Map.Entry<String, JobExecutionContext> e : running.entrySet()) {
                if (handedOver.add(e.getKey())) {
                    JobExecutionContext context = e.getValue();
                    fireOnce(context.getJobDetail().getKey(), "handover-");
                    scheduler.interrupt(context.getFireInstanceId());
                    log.info("Stopping: the sync of {} is still running after the grace; handing it over to another node",
                            context.getJobDetail().getKey().getName());
                }
            }
            Thread.sleep(100);
            running = runningSyncs();
        }
    }

    /** This node's executing sync jobs by fire instance id. */
    private Map<String, JobExecutionContext> runningSyncs() throws SchedulerException {
        Map<String, JobExecutionContext> out = new LinkedHashMap<>();
        for (JobExecutionContext context : scheduler.getCurrentlyExecutingJobs()) {
            if (GROUP.equals(context.getJobDetail().getKey().getGroup())) {
                out.put(context.getFireInstanceId(), context);
            }
        }
        return out;
    }

    private JobKey existing(String corpId) throws SchedulerException {
        JobKey key = JobKey.jobKey(corpId, GROUP);
        if (!scheduler.checkExists(key)) {
            throw RequestException.notFound("unknown_corp", "no sync job for " + corpId + " in this environment");
        }
        return key;
    }

    /**
     * A planned stop: stops taking jobs, lets running syncs finish for up to the shutdown grace,
     * then hands the rest over (see {@link #handOverRunningSyncs}) and waits for them to end.
     * Called before anything the syncs use (upstream client, tokens, alerts, pools) is closed.
     */
    @Override
    public void close() {
        synchronized (this) {
            stopping = true;
        }
        try {
            if (executes && scheduler.isStarted() && !scheduler.isShutdown()) {
                scheduler.standby();
                handOverRunningSyncs();
            }
        } catch (SchedulerException e) {
            log.warn("Handing over the running syncs: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            log.warn("Scheduler shutdown: {}", Failures.describe(e));
        }
        try {
            DBConnectionManager.getInstance().shutdown(dataSourceName);
        } catch (SQLException e) {
            log.warn("Quartz pool shutdown: {}", Failures.describe(e));
        }
    }
}
