package io.orgsync.alert;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.config.Settings;
import io.orgsync.logging.Failures;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alerts: a log line and a metric, then every configured sink, off the caller's thread
 * so that a slow or failing webhook never holds up a sync or a request. The same alert key is
 * delivered at most once per window (10 minutes) across the whole cluster: the {@code alert}
 * table decides which node sends ({@link AlertStore}) and records counts and delivery results.
 * Where that table cannot be written (a read-only node, or the database is down) the node
 * de-duplicates on its own, so an alert is never lost to the de-duplication.
 */
public final class Alerts implements AutoCloseable {
    public static final Duration WINDOW = Duration.ofMinutes(10);
    /** After the store failed, how long this node de-duplicates on its own before it asks the database again. */
    static final Duration STORE_RETRY = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    private static final List<String> RECORDED_SINKS = List.of("webhook", "email");

    /** {@code origin} names the environment and node in every message, e.g. "prod/node-1". */
    public record Config(String origin) {
        public Config {
            if (origin == null || origin.isBlank()) {
                throw new IllegalArgumentException("origin must be set");
            }
        }

        public static Config from(Settings s) {
            return new Config(s.env() + "/" + s.instanceId());
        }
    }

    private final Clock clock;
    private final MeterRegistry metrics;
    private final List<AlertSink> sinks;
    private final String origin;
    private final AlertStore store;
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();
    private volatile long storeDownUntil;
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alert-delivery");
        t.setDaemon(true);
        return t;
    });

    /** Alerts de-duplicated by this node alone (no database), e.g. for tools and benchmarks. */
    public Alerts(Clock clock, MeterRegistry metrics, List<AlertSink> sinks, String origin) {
        this(clock, metrics, sinks, new Config(origin), null);
    }

    /** {@code store} may be null: then this node alone de-duplicates. */
    public Alerts(Clock clock, MeterRegistry metrics, List<AlertSink> sinks, Config config, AlertStore store) {
        this.clock = clock;
        this.metrics = metrics;
        this.sinks = List.copyOf(sinks);
        this.origin = config.origin();
        this.store = store;
    }

    /** Returns true when this node sends the alert, false when the same key went out within the window. */
    public boolean raise(Alert alert) {
        long now = clock.millis();
        Boolean claimed = claimInStore(alert, now);
        boolean send = claimed != null ? claimed : claimLocally(alert, now);
        if (!send) {
            metrics.counter("orgsync_alerts_suppressed_total", "type", alert.type())
                    .increment();
            return false;
        }
        lastSent.put(alert.key(), now);
        metrics.counter("orgsync_alerts_total", "type", alert.type()).increment();
        log.warn("ALERT {} [{}]: {}", alert.type(), alert.subject(), alert.message());
        String text = "[orgsync " + origin + "] " + alert.type() + " — " + alert.subject() + "\n" + alert.message();
        boolean recorded = claimed != null;
        for (AlertSink sink : sinks) {
            try {
                delivery.execute(() -> deliver(sink, alert, text, recorded ? now : -1));
            } catch (RejectedExecutionException e) {
                // raised while the node shuts down: the log line above is all that goes out
                log.warn("Alert {} not delivered by {}: this node is shutting down", alert.key(), sink.name());
                record(sink, alert, recorded ? now : -1, "failed: the node was shutting down");
            }
        }
        return true;
    }

    /** This environment's alerts as the cluster recorded them, the most recently raised first. */
    public List<AlertRecord> recent(int limit) throws SQLException {
        if (store == null) {
            return List.of();
        }
        return store.recent(limit);
    }

    /** True: send, false: suppressed, null: the store cannot decide (read-only node, database down). */
    private Boolean claimInStore(Alert alert, long now) {
        if (store == null || !store.writable() || now < storeDownUntil) {
            return null;
        }
        try {
            AlertStore.Claim claim = store.claim(
                    alert, now, WINDOW.toMillis(), origin, initialResult("webhook"), initialResult("email"));
            return claim == AlertStore.Claim.SEND;
        } catch (SQLException | RuntimeException e) {
            storeDownUntil = now + STORE_RETRY.toMillis();
            log.warn(
                    "Alert {} is de-duplicated by this node alone for {} s: the alert table is unavailable ({})",
                    alert.key(),
                    STORE_RETRY.toSeconds(),
                    Failures.describe(e));
            return null;
        }
    }

    private boolean claimLocally(Alert alert, long now) {
        boolean[] fresh = {false};
        lastSent.compute(alert.key(), (k, last) -> {
            if (last == null || now - last >= WINDOW.toMillis()) {
                fresh[0] = true;
                return now;
            }
            return last;
        });
        return fresh[0];
    }

    private String initialResult(String sinkName) {
        return sinks.stream().anyMatch(s -> s.name().equals(sinkName)) ? "pending" : "not configured";
    }

    /** {@code sentAt}: the claim recorded in the store, whose result this delivery fills in; -1 when there is none. */
    private void deliver(AlertSink sink, Alert alert, String text, long sentAt) {
        String result;
        try {
            sink.deliver(alert, text);
            result = sink.deliveredResult();
        } catch (Exception e) {
            metrics.counter("orgsync_alert_delivery_failures_total", "sink", sink.name())
                    .increment();
            result = "failed: " + Failures.describe(e);
            log.warn("Alert {} could not be delivered by {}: {}", alert.key(), sink.name(), Failures.describe(e));
        }
        record(sink, alert, sentAt, result);
    }

    private void record(AlertSink sink, Alert alert, long sentAt, String result) {
        if (sentAt < 0 || !RECORDED_SINKS.contains(sink.name())) {
            return;
        }
        try {
            store.recordDelivery(alert, sentAt, origin, sink.name(), result);
        } catch (SQLException | RuntimeException e) {
            log.warn(
                    "Delivery result of alert {} by {} not recorded: {}",
                    alert.key(),
                    sink.name(),
                    Failures.describe(e));
        }
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
