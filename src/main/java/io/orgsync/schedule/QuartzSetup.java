package io.orgsync.schedule;

import io.orgsync.logging.Failures;
import io.orgsync.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's Quartz scheduler, built from quartz.properties (a file in the working directory wins
 * over the jar's, an {@code org.quartz.*} system property over both) and the node's config, on a
 * connection pool of its own.
 */
final class QuartzSetup {
    private static final Logger log = LoggerFactory.getLogger(QuartzSetup.class);
    final Scheduler scheduler;
    private final String dataSourceName;

    private QuartzSetup(Scheduler scheduler, String dataSourceName) {
        this.scheduler = scheduler;
        this.dataSourceName = dataSourceName;
    }

    static QuartzSetup create(SchedulerConfig config) throws SchedulerException {
        String dataSourceName = "orgsync-" + config.instanceId() + "-"
                + UUID.randomUUID().toString().substring(0, 6);
        // its own pool: threadCount + 3 connections, never shared with sync transactions (Quartz #957)
        int poolSize = (config.executes() ? config.threads() : 1) + 3;
        Database quartzDb = Database.open(
                config.dbUrl(), config.dbUser(), config.dbPassword(), false, "quartz-" + config.instanceId(), poolSize);
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
        Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
        // several nodes of one environment may live in one JVM (tests): keep each its own
        SchedulerRepository.getInstance().remove(config.schedulerName());
        return new QuartzSetup(scheduler, dataSourceName);
    }

    static Properties baseProperties() {
        Properties p = new Properties();
        Path local = Path.of("quartz.properties");
        try (InputStream in = Files.exists(local)
                ? Files.newInputStream(local)
                : QuartzSetup.class.getClassLoader().getResourceAsStream("quartz.properties")) {
            if (in == null) {
                throw new IllegalStateException("quartz.properties is missing from the jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read quartz.properties: " + e.getMessage(), e);
        }
        // as Quartz's own factory does when it reads the file itself: -Dorg.quartz.x=y wins over the file
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("org.quartz."))
                .forEach(name -> p.setProperty(name, System.getProperty(name)));
        return p;
    }

    /** Shuts the scheduler down (waiting for its jobs), then its pool. */
    void shutdown() {
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
