package io.orgsync.sync;

import com.google.common.collect.ConcurrentHashMultiset;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orgsync.alert.Alerts;
import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.EnterpriseService;
import io.orgsync.enterprise.IdsOnlyMemory;
import io.orgsync.logging.Failures;
import io.orgsync.org.OrgWriter;
import io.orgsync.store.SecretUnreadableException;
import io.orgsync.time.Waiter;
import io.orgsync.upstream.UpstreamClient;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One sync of one enterprise: claim the run, fetch everything, apply it all at once, record
 * the outcome. Quartz makes sure one node at a time calls this for a given enterprise; the
 * run claim makes sure a node that lost that guarantee cannot write.
 */
public final class SyncRunner {
    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
    /** The error of a run its node interrupted as it stopped; another node runs the enterprise again. */
    static final String HANDED_OVER = "handed over: node stopping";

    /**
     * What a run needs beyond its collaborators.
     *
     * @param departmentConcurrency department calls of one run in flight at once (1: strictly serial)
     */
    public record Options(
            String instanceId,
            URI wecomBaseUrl,
            double departmentRate,
            int departmentConcurrency,
            double maxRemovalRatio,
            Duration deadline) {
        public static Options from(io.orgsync.config.Settings s) {
            return new Options(
                    s.instanceId(),
                    s.wecomBaseUrl(),
                    s.deptRate(),
                    s.deptConcurrency(),
                    s.maxRemovalRatio(),
                    s.syncDeadline());
        }
    }

    private final RunStore runs;
    private final OrgApplier applier;
    private final SetupFetch fetcher;
    private final EnterpriseService enterprises;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Waiter waiter;
    private final Options options;
    /** The drift and the alert of a run's end: what the end of a run tells beyond its row. */
    private final SyncOutcomes outcomes;
    /** Enterprises this node is running now; an enterprise counts from before its run row exists until after its end is recorded. */
    private final ConcurrentHashMultiset<String> active = ConcurrentHashMultiset.create();

    public SyncRunner(
            DataSource ds,
            EnterpriseService enterprises,
            UpstreamClient upstream,
            Alerts alerts,
            MeterRegistry metrics,
            Clock clock,
            Waiter waiter,
            Options options,
            OrgWriter writer) {
        this(ds, enterprises, upstream, alerts, metrics, clock, waiter, options, writer, EventFeed.NONE);
    }

    /**
     * {@code writer}: the org's one writer, which every apply goes through;
     * {@code events}: which enterprises receive contact-change events, whose runs then record their drift.
     */
    public SyncRunner(
            DataSource ds,
            EnterpriseService enterprises,
            UpstreamClient upstream,
            Alerts alerts,
            MeterRegistry metrics,
            Clock clock,
            Waiter waiter,
            Options options,
            OrgWriter writer,
            EventFeed events) {
        this.runs = new RunStore(ds, clock);
        this.outcomes = new SyncOutcomes(runs, alerts, metrics, events);
        this.applier = new OrgApplier(writer);
        this.fetcher = new SetupFetch(upstream, options, new IdsOnlyMemory(ds, alerts), clock, waiter);
        this.enterprises = enterprises;
        this.metrics = metrics;
        this.clock = clock;
        this.waiter = waiter;
        this.options = options;
    }

    public RunStore runs() {
        return runs;
    }

    /** The enterprises this node is running now (RunWatch ends this node's other RUNNING rows). */
    public Set<String> activeCorps() {
        return Set.copyOf(active.elementSet());
    }

    /**
     * Runs one sync and returns its run row. An enterprise that cannot sync at all (a secret this
     * node cannot open) still gets a FAILED run saying what to fix, and an alert. A run whose
     * thread is interrupted (its node is stopping and hands it over) ends ABANDONED, not FAILED.
     */
    public Run run(String corpId, SyncProgress progress) throws Exception {
        return run(corpId, progress, false);
    }

    /**
     * {@code recovery}: Quartz re-runs the job of a node its cluster found dead; the run takes over
     * that node's run once it missed two heartbeats, without waiting for the heartbeat's whole
     * window, and yields when it beats again (see {@link RecoveryWait}, {@link CurrentRunClaim#start}).
     */
    public Run run(String corpId, SyncProgress progress, boolean recovery) throws Exception {
        Enterprise enterprise = null;
        SecretUnreadableException unusable = null;
        try {
            enterprise = enterprises.find(corpId);
        } catch (SecretUnreadableException e) {
            unusable = e;
        }
        active.add(corpId);
        try {
            return run(corpId, enterprise, unusable, progress, recovery);
        } finally {
            active.remove(corpId);
        }
    }

    private Run run(
            String corpId,
            Enterprise enterprise,
            SecretUnreadableException unusable,
            SyncProgress progress,
            boolean recovery)
            throws Exception {
        if (recovery) {
            new RecoveryWait(runs, clock, waiter).untilDecided(corpId, options.instanceId());
        }
        long started = clock.millis();
        CurrentRunClaim.Start start =
                runs.start(corpId, options.instanceId(), started, active.count(corpId) > 1, recovery);
        long runId = start.runId();
        if (start.yielded()) {
            return outcomes.yielded(corpId, runId, options.instanceId(), started);
        }
        MDC.put("traceId", "sync-" + corpId + "-" + runId);
        Timer.Sample sample = Timer.start(metrics);
        RunStatus status = RunStatus.FAILED;
        SyncCounts counts = SyncCounts.NONE;
        int departments = 0;
        int calls = 0;
        String error = null;
        try {
            if (unusable != null) {
                throw unusable;
            }
            log.info("Sync of {} started (run {})", corpId, runId);
            // a second without department calls between runs, whichever nodes they ran on: the end
            // of one run and the start of the next must not add up to more than the rate in one second
            long quietUntil = runs.previousFinishedAt(corpId, runId) + 1000;
            RunClaim claim = new RunClaim(runs, corpId, runId, clock, waiter);
            FetchedOrg fetched = fetcher.fetch(
                    enterprise, started, started + options.deadline().toMillis(), quietUntil, claim, progress);
            departments = fetched.departments().size();
            calls = fetched.upstreamCalls();
            counts = applier.apply(corpId, runId, fetched, options.maxRemovalRatio(), clock.millis());
            status = RunStatus.SUCCEEDED;
            outcomes.recordDrift(corpId, runId, counts);
            log.info(
                    "Sync of {} succeeded: {} departments, {} members fetched, +{} ~{} -{}",
                    corpId,
                    departments,
                    fetched.members().size(),
                    counts.added(),
                    counts.updated(),
                    counts.removed());
        } catch (SyncFailure e) {
            status = switch (e.reason) {
                case REFUSED -> RunStatus.REFUSED;
                case SUPERSEDED, INTERRUPTED -> RunStatus.ABANDONED;
                case DEADLINE -> RunStatus.FAILED;
            };
            error = e.getMessage();
        } catch (SQLException e) {
            // a driver's message can quote the statement and the member's values: the run row, the
            // alert and the log get the SQL state and what it means, never the driver's text
            error = DatabaseFailureText.describe(e);
            log.warn(
                    "Sync of {} stopped by the database: SQL state {}, vendor code {}",
                    corpId,
                    e.getSQLState(),
                    e.getErrorCode());
        } catch (Exception e) {
            // an exception may wrap a driver's (Quartz's do, quoting it): never its text, which can carry SQL
            error = Failures.describe(e);
        } finally {
            // cleared too: with the flag set, the pool would refuse the connection that records the end
            if (Thread.interrupted() && status == RunStatus.FAILED) {
                status = RunStatus.ABANDONED;
                error = HANDED_OVER;
            }
            runs.finish(runId, status, clock.millis(), departments, counts, calls, error);
            sample.stop(metrics.timer("orgsync_sync_duration_seconds", "corp", corpId));
            metrics.counter("orgsync_sync_runs_total", "corp", corpId, "outcome", status.name())
                    .increment();
            MDC.remove("traceId");
        }
        Run known = Run.ended(
                runId,
                corpId,
                options.instanceId(),
                status,
                started,
                clock.millis(),
                departments,
                counts,
                calls,
                error);
        return outcomes.ended(enterprise, known);
    }
}
