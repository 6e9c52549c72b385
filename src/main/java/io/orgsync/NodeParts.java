package io.orgsync;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orgsync.alert.AlertSink;
import io.orgsync.alert.AlertStore;
import io.orgsync.alert.Alerts;
import io.orgsync.alert.MailSink;
import io.orgsync.alert.WebhookSink;
import io.orgsync.callback.EventRetention;
import io.orgsync.cluster.NodeRegistry;
import io.orgsync.config.Settings;
import io.orgsync.http.AccessRules;
import io.orgsync.logging.Failures;
import io.orgsync.metrics.MetricCatalog;
import io.orgsync.resolve.ResolveRetention;
import io.orgsync.schedule.Retention;
import io.orgsync.schedule.SchedulerConfig;
import io.orgsync.schedule.SyncFreshness;
import io.orgsync.schedule.SyncScheduler;
import io.orgsync.store.Database;
import io.orgsync.store.DatabaseClock;
import io.orgsync.sync.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small, self-contained pieces Node is wired from: the start-up announcements, the
 * database and its clock, the metrics registry, the alerts and their sinks, the scheduler's
 * config, maintenance and fence, the freshness gauges and the order of the stop. Kept apart so
 * that Node reads as the order of assembly and nothing else.
 */
final class NodeParts {
    private static final Logger log = LoggerFactory.getLogger(NodeParts.class);
    /** The start and serving lines keep the node's name, which operators look for. */
    private static final Logger nodeLog = LoggerFactory.getLogger("io.orgsync.Node");

    private NodeParts() {}

    /** What the node starts as, and what it warns about before anything else is built. */
    static void announceStart(Settings settings, String version) {
        nodeLog.info(
                "Starting orgsync {} as {} in environment '{}': {}",
                version,
                settings.instanceId(),
                settings.env(),
                settings);
        if (settings.secretKey() == null && !settings.readOnly()) {
            nodeLog.warn(
                    "ORGSYNC_SECRET_KEY is not set: enterprise and app secrets and access tokens are stored in plain text. Set it to encrypt them.");
        }
        AccessRules.warnIfOpen(settings.httpHost(), settings.apiToken());
    }

    static void announceServing(Settings settings, int port) {
        nodeLog.info(
                "orgsync {} serving on port {} (scheduler {})",
                settings.instanceId(),
                port,
                settings.schedulerEnabled()
                        ? "executing jobs"
                        : settings.readOnly() ? "off: read-only node" : "created, not executing jobs");
    }

    /** The node's pool, migrated first unless the node is read-only (its account may not change the schema). */
    static Database database(Settings settings) {
        Database db = Database.open(settings, "orgsync", 10 + settings.syncThreads());
        if (!settings.readOnly()) {
            db.migrate();
        }
        return db;
    }

    /**
     * The alert table makes "once per key and window" hold for the whole cluster; a read-only
     * node only reads it.
     */
    static Alerts alerts(Settings settings, Database db, Clock clock, MeterRegistry metrics, SyncScheduler scheduler) {
        return new Alerts(
                clock,
                metrics,
                alertSinks(settings, scheduler),
                Alerts.Config.from(settings),
                new AlertStore(db.dataSource(), settings.env(), settings.readOnly()));
    }

    /** The maintenance job's pruning: finished runs, resolve misses and applied events past their retention. */
    static Retention retention(Settings settings, Database db, RunStore runs, Clock clock) {
        return new Retention(
                runs,
                new ResolveRetention(db.dataSource()),
                new EventRetention(db.dataSource()),
                clock,
                settings.runRetention(),
                new io.orgsync.org.ChangeLog(db.dataSource()),
                settings.changeRetention());
    }

    /** The freshness gauges, read again every minute. */
    static SyncFreshness freshness(Settings settings, RunStore runs, Clock clock, MeterRegistry metrics) {
        return new SyncFreshness(runs, settings.env(), clock, metrics, Duration.ofSeconds(60));
    }

    /**
     * The database's clock, measured once before any feature takes a time from it (the node
     * registry measures it again at every heartbeat and reports a skew). A database that does not
     * answer now leaves it at the wall clock until a heartbeat's measurement succeeds.
     */
    static DatabaseClock databaseClock(Database db, Clock wall, LongSupplier timeShift) {
        DatabaseClock clock = new DatabaseClock(db.dataSource(), wall, timeShift);
        try {
            clock.measure();
        } catch (Exception e) {
            log.warn(
                    "The database's time could not be read ({}): this node uses its own clock until it can",
                    Failures.describe(e));
        }
        return clock;
    }

    /** {@code first}, then the rest of {@code started} newest first, then {@code last}. */
    static List<AutoCloseable> stopOrder(
            List<AutoCloseable> started, List<AutoCloseable> first, List<AutoCloseable> last) {
        List<AutoCloseable> order = new ArrayList<>(first);
        for (int i = started.size() - 1; i >= 0; i--) {
            AutoCloseable c = started.get(i);
            if (!order.contains(c) && !last.contains(c)) {
                order.add(c);
            }
        }
        order.addAll(last);
        return order;
    }

    /** The build version from the jar's manifest (ORGSYNC_BUILD_VERSION overrides it, also per node through Settings). */
    static String version() {
        String override = System.getProperty("orgsync.build.version", System.getenv("ORGSYNC_BUILD_VERSION"));
        if (override != null && !override.isBlank()) {
            return override.trim();
        }
        String v = NodeParts.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The registry with every catalogued metric and the JVM's own meters bound. */
    static PrometheusMeterRegistry metricsRegistry() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricCatalog.install(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        return metrics;
    }

    private static List<AlertSink> alertSinks(Settings settings, SyncScheduler scheduler) {
        List<AlertSink> sinks = new ArrayList<>();
        if (settings.alertWebhook() != null) {
            sinks.add(new WebhookSink(settings.alertWebhook()));
        }
        // mails wait in the scheduler's tables, which a read-only node does not write
        if (!settings.alertEmails().isEmpty() && !settings.readOnly()) {
            sinks.add(new MailSink(settings.alertEmails(), scheduler.mailQueue()));
        }
        return sinks;
    }

    /** A fenced node stops and resumes taking jobs through its scheduler. */
    static NodeRegistry.Fence fence(SyncScheduler scheduler) {
        return new NodeRegistry.Fence() {
            public void stopTakingJobs() throws Exception {
                scheduler.stopTakingJobs();
            }

            public void resumeTakingJobs() throws Exception {
                scheduler.resumeTakingJobs();
            }
        };
    }

    static SchedulerConfig schedulerConfig(Settings settings) {
        return new SchedulerConfig(
                settings.schedulerName(),
                settings.instanceId(),
                settings.syncThreads(),
                settings.schedulerEnabled(),
                settings.dbUrl(),
                settings.dbUser(),
                settings.dbPassword(),
                settings.shutdownGrace(),
                settings.alertEmails().isEmpty()
                        ? null
                        : new SchedulerConfig.Smtp(settings.smtpHost(), settings.smtpPort(), settings.smtpFrom()));
    }
}
