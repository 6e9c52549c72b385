package io.orgsync.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.logging.Failures;
import io.orgsync.store.DatabaseClock;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures this node's clock against the database's at every heartbeat and reports a skew
 * beyond {@link DatabaseClock#REPORTED_SKEW}: orgsync's own decisions take the database's time,
 * but Quartz's cluster check-in compares the nodes' own clocks, so a skewed node must be fixed.
 * The metric always says the offset; the log warns when the skew appears and says when it is
 * gone (not at every heartbeat); the alert goes out when it appears and again every alert
 * window while it lasts (the cluster-wide de-duplication of {@link Alerts} still applies).
 */
final class ClockCheck {
    static final String ALERT = "clock_skew";
    private static final Logger log = LoggerFactory.getLogger(ClockCheck.class);

    private final DatabaseClock clock;
    private final Alerts alerts;
    private final String instanceId;
    private boolean skewed;
    private long alertedAt;

    ClockCheck(DatabaseClock clock, Alerts alerts, MeterRegistry metrics, String instanceId) {
        this.clock = clock;
        this.alerts = alerts;
        this.instanceId = instanceId;
        Gauge.builder(
                        "orgsync_clock_offset_seconds",
                        clock,
                        c -> c.reading().map(r -> r.skewMillis() / 1000.0).orElse(0.0))
                .description("How far this node's wall clock is ahead of the database's (negative: behind), "
                        + "measured at every heartbeat")
                .register(metrics);
    }

    /** One measurement and what the reading in force calls for; a database that cannot be asked keeps the last. */
    void check() {
        try {
            clock.measure();
        } catch (Exception e) {
            log.debug("The database's time could not be read: {}", Failures.describe(e));
        }
        DatabaseClock.Reading reading = clock.reading().orElse(null);
        if (reading == null) {
            return;
        }
        long now = clock.millis();
        if (reading.skewed()) {
            String why = describe(reading);
            if (!skewed) {
                skewed = true;
                log.warn(why);
            }
            if (alertedAt == 0 || now - alertedAt >= Alerts.WINDOW.toMillis()) {
                alertedAt = now;
                alerts.raise(new Alert(ALERT, instanceId, why));
            }
        } else if (skewed) {
            skewed = false;
            alertedAt = 0;
            log.info(
                    "The clock of node {} is within {} s of the database's again ({} ms off)",
                    instanceId,
                    DatabaseClock.REPORTED_SKEW.toSeconds(),
                    reading.skewMillis());
        }
    }

    private String describe(DatabaseClock.Reading r) {
        return String.format(
                Locale.ROOT,
                "The clock of node %s is %.1f s %s the database's (more than %d s): orgsync takes its times "
                        + "from the database, but Quartz's cluster check-in compares the nodes' own clocks "
                        + "and needs them within a second. Synchronise this host's clock (NTP: chrony or "
                        + "systemd-timesyncd).",
                instanceId,
                Math.abs(r.skewMillis()) / 1000.0,
                r.skewMillis() > 0 ? "ahead of" : "behind",
                DatabaseClock.REPORTED_SKEW.toSeconds());
    }
}
