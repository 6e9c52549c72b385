package io.orgsync.alert;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Raises alerts: always a log line and a metric, then every configured sink, off the caller's
 * thread so that a slow or failing webhook never holds up a sync or a request. The same alert
 * key is delivered at most once per window (10 minutes).
 */
public final class Alerts implements AutoCloseable {
    public static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final Clock clock;
    private final MeterRegistry metrics;
    private final List<AlertSink> sinks;
    private final String origin;
    private final Map<String, Long> lastRaised = new ConcurrentHashMap<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alert-delivery");
        t.setDaemon(true);
        return t;
    });

    /** {@code origin} names the environment and node in every message, e.g. "prod/node-1". */
    public Alerts(Clock clock, MeterRegistry metrics, List<AlertSink> sinks, String origin) {
        this.clock = clock;
        this.metrics = metrics;
        this.sinks = List.copyOf(sinks);
        this.origin = origin;
    }

    /** Returns true when the alert went out, false when the same key was raised within the window. */
    public boolean raise(Alert alert) {
        long now = clock.millis();
        boolean[] fresh = {false};
        lastRaised.compute(alert.key(), (k, last) -> {
            if (last == null || now - last >= WINDOW.toMillis()) {
                fresh[0] = true;
                return now;
            }
            return last;
        });
        if (!fresh[0]) {
            metrics.counter("orgsync_alerts_suppressed_total", "type", alert.type()).increment();
            return false;
        }
        metrics.counter("orgsync_alerts_total", "type", alert.type()).increment();
        log.warn("ALERT {} [{}]: {}", alert.type(), alert.subject(), alert.message());
        String text = "[orgsync " + origin + "] " + alert.type() + " — " + alert.subject() + "\n" + alert.message();
        for (AlertSink sink : sinks) {
            delivery.execute(() -> {
                try {
                    sink.deliver(alert, text);
                } catch (Exception e) {
                    metrics.counter("orgsync_alert_delivery_failures_total", "sink", sink.name()).increment();
                    // a refused connection has no message: the class name at least says what happened
                    log.warn("Alert {} could not be delivered by {}: {}", alert.key(), sink.name(),
                            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                }
            });
        }
        return true;
    }

    @Override
    public void close() {
        delivery.shutdown();
        try {
            delivery.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
