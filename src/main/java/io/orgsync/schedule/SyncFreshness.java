package io.orgsync.schedule;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.orgsync.logging.Failures;
import io.orgsync.sync.LastSuccess;
import io.orgsync.sync.RunStore;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each enabled enterprise of this environment last synced successfully, and how long its
 * schedule leaves between two runs: the two gauges the "no successful sync for two periods"
 * rule compares. Read from the database (the run rows are the cluster's truth, whichever node
 * ran them), so every node that runs jobs reports the same values and a restarted node knows
 * them at once; the rule takes the maximum over nodes. One statement per refresh
 * ({@link RunStore#lastSuccesses}), whose cost grows with the enterprises, not the run history.
 */
public final class SyncFreshness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncFreshness.class);
    /** How far ahead a schedule is read for its longest gap: a weekday schedule's weekend included. */
    private static final int FIRES_READ = 400;

    private static final Duration HORIZON = Duration.ofDays(35);

    private final RunStore runs;
    private final String env;
    private final java.time.Clock clock;
    private final MultiGauge lastSuccess;
    private final MultiGauge period;
    private final Map<String, OptionalLong> periods = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sync-freshness");
        t.setDaemon(true);
        return t;
    });

    public SyncFreshness(RunStore runs, String env, java.time.Clock clock, MeterRegistry metrics, Duration every) {
        this.runs = runs;
        this.env = env;
        this.clock = clock;
        this.lastSuccess = MultiGauge.builder("orgsync_sync_last_success_timestamp_seconds")
                .description(
                        "Unix time of the enterprise's last successful sync (its registration until it has one); enabled enterprises")
                .register(metrics);
        this.period = MultiGauge.builder("orgsync_sync_period_seconds")
                .description("Longest gap between two runs of the enterprise's cron; absent when it does not repeat")
                .register(metrics);
        refresh();
        timer.scheduleWithFixedDelay(this::refresh, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the rows again; public so that a test need not wait for the timer. */
    public void refresh() {
        List<LastSuccess> rows;
        try {
            rows = runs.lastSuccesses(env);
        } catch (Exception e) {
            // the gauges keep their last values: a database outage has an alert of its own
            log.warn("Sync freshness not refreshed: {}", Failures.describe(e));
            return;
        }
        List<MultiGauge.Row<?>> successes = new ArrayList<>();
        List<MultiGauge.Row<?>> gaps = new ArrayList<>();
        for (LastSuccess row : rows) {
            Tags corp = Tags.of("corp", row.corpId());
            long at = row.lastSuccessAt() != null ? row.lastSuccessAt() : row.createdAt();
            successes.add(MultiGauge.Row.of(corp, at / 1000.0));
            OptionalLong gap = periods.computeIfAbsent(row.cron(), this::longestGapSeconds);
            if (gap.isPresent()) {
                gaps.add(MultiGauge.Row.of(corp, gap.getAsLong()));
            }
        }
        // overwrite: an enterprise deleted or disabled since drops out of both
        lastSuccess.register(successes, true);
        period.register(gaps, true);
    }

    /** The longest gap between consecutive fire times within the horizon; empty for a cron that fires once or never. */
    OptionalLong longestGapSeconds(String cron) {
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            return OptionalLong.empty();
        }
        expression.setTimeZone(EnterpriseJobScheduler.CRON_ZONE);
        long now = clock.millis();
        long end = now + HORIZON.toMillis();
        Date previous = expression.getNextValidTimeAfter(new Date(now));
        long longest = -1;
        for (int i = 0; i < FIRES_READ && previous != null && previous.getTime() <= end; i++) {
            Date next = expression.getNextValidTimeAfter(previous);
            if (next == null || next.getTime() > end) {
                break;
            }
            longest = Math.max(longest, next.getTime() - previous.getTime());
            previous = next;
        }
        return longest < 0 ? OptionalLong.empty() : OptionalLong.of(longest / 1000);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
