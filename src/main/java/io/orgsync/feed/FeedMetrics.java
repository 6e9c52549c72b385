package io.orgsync.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The feed's meters, per subscription: deliveries by outcome, lag in events and seconds, failing. */
final class FeedMetrics {
    static final String DELIVERIES = "orgsync_feed_deliveries_total";
    static final String LAG_EVENTS = "orgsync_feed_lag_events";
    static final String LAG_SECONDS = "orgsync_feed_lag_seconds";
    static final String FAILING = "orgsync_feed_failing";

    private final MeterRegistry registry;
    private final Map<String, Gauges> gauges = new ConcurrentHashMap<>();

    private record Gauges(AtomicLong events, AtomicLong seconds, AtomicLong failing) {}

    FeedMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void delivered(String subscription) {
        counter(subscription, "delivered").increment();
    }

    void failed(String subscription) {
        counter(subscription, "failed").increment();
    }

    void failing(String subscription, boolean failing) {
        gauges(subscription).failing.set(failing ? 1 : 0);
    }

    void lag(String subscription, Lag lag, boolean failing) {
        Gauges g = gauges(subscription);
        g.events.set(lag.events());
        g.seconds.set(lag.seconds());
        g.failing.set(failing ? 1 : 0);
    }

    /** Drops the gauges of subscriptions that are gone, so that a deleted one does not show a stale lag. */
    void keepOnly(Set<String> subscriptions) {
        for (String name : Set.copyOf(gauges.keySet())) {
            if (!subscriptions.contains(name)) {
                gauges.remove(name);
                for (String meter : new String[] {LAG_EVENTS, LAG_SECONDS, FAILING}) {
                    var g = registry.find(meter).tag("subscription", name).gauge();
                    if (g != null) {
                        registry.remove(g);
                    }
                }
            }
        }
    }

    private Counter counter(String subscription, String outcome) {
        return registry.counter(DELIVERIES, "subscription", subscription, "outcome", outcome);
    }

    private Gauges gauges(String subscription) {
        return gauges.computeIfAbsent(subscription, name -> {
            Gauges g = new Gauges(new AtomicLong(), new AtomicLong(), new AtomicLong());
            Gauge.builder(LAG_EVENTS, g.events, AtomicLong::get)
                    .tag("subscription", name)
                    .register(registry);
            Gauge.builder(LAG_SECONDS, g.seconds, AtomicLong::get)
                    .tag("subscription", name)
                    .register(registry);
            Gauge.builder(FAILING, g.failing, AtomicLong::get)
                    .tag("subscription", name)
                    .register(registry);
            return g;
        });
    }
}
