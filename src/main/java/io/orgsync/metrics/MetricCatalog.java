package io.orgsync.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * What {@code /metrics} says about each of orgsync's meters, in one place: the HELP line of every
 * meter whose registration gave none (features register with {@code metrics.counter(name, tags)}),
 * the histogram buckets of the two latencies the dashboard draws percentiles of, and two JVM
 * meters renamed so that {@code promtool check metrics} has nothing to flag. Installed on the
 * registry before any meter is created: a filter applies only to meters registered after it.
 */
public final class MetricCatalog {
    /** HELP text by meter name, for meters registered without a description. */
    static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("orgsync_http_request_seconds", "HTTP requests served, by method, route template and status"),
            Map.entry("orgsync_upstream_call_seconds", "Time of one upstream HTTP exchange (WeCom or WeChat), by API"),
            Map.entry(
                    "orgsync_upstream_calls_total",
                    "Upstream call attempts, by API and errcode (io: network error, http: not HTTP 200)"),
            Map.entry(
                    "orgsync_sync_runs_total",
                    "Finished sync runs, by enterprise and outcome (SUCCEEDED, FAILED, REFUSED, ABANDONED)"),
            Map.entry("orgsync_sync_duration_seconds", "Wall time of a sync run, fetch and apply, by enterprise"),
            Map.entry(
                    "orgsync_lookups_total",
                    "Lookups by mobile (kind=lookup) and real-time resolves (kind=resolve), by outcome"),
            Map.entry(
                    "orgsync_token_fetches_total",
                    "Access tokens fetched from the upstream by this node, by token kind and outcome"),
            Map.entry(
                    "orgsync_token_invalidated_early_total",
                    "Tokens the upstream rejected more than 10 minutes before their expiry (someone else holds the secret)"),
            Map.entry(
                    "orgsync_token_held_total",
                    "Holds put on a token row after a refused credential or a call block, by kind and hold"),
            Map.entry("orgsync_token_forced_refreshes_total", "Stable mini-program tokens replaced with force_refresh"),
            Map.entry("orgsync_token_wait_timeouts_total", "Callers that gave up waiting for a token (answered 503)"),
            Map.entry("orgsync_alerts_total", "Alerts this node sent, by type"),
            Map.entry(
                    "orgsync_alerts_suppressed_total",
                    "Alerts not sent because the same key went out within 10 minutes somewhere in the cluster, by type"),
            Map.entry("orgsync_alert_delivery_failures_total", "Alert deliveries that failed, by sink"),
            Map.entry(
                    "orgsync_node_fenced",
                    "1 while this node is fenced (a live node of its environment runs a newer build), else 0"),
            Map.entry(
                    "orgsync_lookup_cache_max_bytes",
                    "Memory the node-local read cache may take (ORGSYNC_LOOKUP_CACHE_MB)"),
            Map.entry(
                    "orgsync_events_received_total",
                    "Contact-change callbacks this node accepted and stored, by enterprise"),
            Map.entry(
                    "orgsync_events_applied_total",
                    "Contact-change events this node finished, by enterprise and outcome (applied, skipped)"),
            Map.entry(
                    "orgsync_events_failed_total",
                    "Contact-change events given up on after their retries, by enterprise (the next sync corrects the org)"),
            Map.entry(
                    "orgsync_event_lag_seconds",
                    "Time from a change in WeCom (the event's CreateTime) to its apply here, by enterprise"),
            Map.entry(
                    "orgsync_feed_deliveries_total",
                    "Change-feed deliveries by subscription and outcome (delivered: a 2xx; failed: any other answer or none)"),
            Map.entry(
                    "orgsync_feed_lag_events",
                    "Changes a feed subscription has not delivered yet, over its enterprises"),
            Map.entry(
                    "orgsync_feed_lag_seconds",
                    "Age of the oldest change a feed subscription has not delivered yet (0 when none waits)"),
            Map.entry(
                    "orgsync_feed_failing",
                    "1 while a feed subscription is failing (gave up retrying; delivers nothing until re-enabled), else 0"),
            Map.entry(
                    "orgsync_sync_drift",
                    "Differences a sync found in an enterprise whose callbacks are on: changes the events did not bring"));

    /** Bucket bounds of the latency histograms: 5 ms to 10 s, enough for a p95 a dashboard can show. */
    static final Set<String> LATENCY_HISTOGRAMS =
            Set.of("orgsync_http_request_seconds", "orgsync_upstream_call_seconds");

    private static final double[] LATENCY_BUCKETS = LongStream.of(
                    5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)
            .mapToDouble(ms -> Duration.ofMillis(ms).toNanos())
            .toArray();

    private MetricCatalog() {}

    public static void install(MeterRegistry registry) {
        registry.config()
                // Micrometer's process.cpu.time is in nanoseconds, which Prometheus' naming rules
                // refuse ("process_cpu_time_ns_total"); the conventional seconds counter replaces it
                .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
                // a gauge named *_count reads as a summary's count: name the number of processors plainly
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                })
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        String help = HELP.get(id.getName());
                        if (help == null
                                || (id.getDescription() != null
                                        && !id.getDescription().isBlank())) {
                            return id;
                        }
                        return new Meter.Id(
                                id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), help, id.getType());
                    }

                    @Override
                    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                        if (!LATENCY_HISTOGRAMS.contains(id.getName())) {
                            return config;
                        }
                        return DistributionStatisticConfig.builder()
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .build()
                                .merge(config);
                    }
                });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, bean -> bean.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time used by the node's JVM")
                    .register(registry);
        }
    }
}
