package io.orgsync;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orgsync.alert.AlertSink;
import io.orgsync.alert.MailSink;
import io.orgsync.alert.WebhookSink;
import io.orgsync.cluster.NodeRegistry;
import io.orgsync.config.Settings;
import io.orgsync.logging.Failures;
import io.orgsync.metrics.MetricCatalog;
import io.orgsync.schedule.SchedulerConfig;
import io.orgsync.schedule.SyncScheduler;
import io.orgsync.store.Database;
import io.orgsync.store.DatabaseClock;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small, self-contained pieces {@link Node} is wired from: the metrics registry, the alert
 * sinks, the scheduler's config, the fence and the version hooks. Kept apart so that Node reads
 * as the order of assembly and nothing else.
 */
final class NodeParts {
    private static final Logger log = LoggerFactory.getLogger(NodeParts.class);

    private NodeParts() {}

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

    /** The build version from the jar's manifest (ORGSYNC_BUILD_VERSION overrides it, also per node through Settings). */
    static String version() {
        String override = System.getProperty("orgsync.build.version", System.getenv("ORGSYNC_BUILD_VERSION"));
        if (override != null && !override.isBlank()) {
            return override.trim();
        }
        String v = Node.class.getPackage().getImplementationVersion();
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

    static List<AlertSink> alertSinks(Settings settings, SyncScheduler scheduler) {
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
