package io.orgsync;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orgsync.alert.Alerts;
import io.orgsync.callback.CallbackSettings;
import io.orgsync.callback.EventApplier;
import io.orgsync.callback.EventDrainer;
import io.orgsync.callback.Events;
import io.orgsync.cluster.NodeRegistry;
import io.orgsync.config.Settings;
import io.orgsync.enterprise.EnterpriseService;
import io.orgsync.feed.Feed;
import io.orgsync.http.HttpServer;
import io.orgsync.logging.Failures;
import io.orgsync.member.MemberQueries;
import io.orgsync.miniapp.MiniAppService;
import io.orgsync.org.OrgWriter;
import io.orgsync.read.Cursors;
import io.orgsync.read.ReadAnswers;
import io.orgsync.read.ReadCache;
import io.orgsync.read.VersionWatch;
import io.orgsync.resolve.ResolveConfig;
import io.orgsync.resolve.ResolveService;
import io.orgsync.schedule.SyncFreshness;
import io.orgsync.schedule.SyncScheduler;
import io.orgsync.store.Database;
import io.orgsync.store.DatabaseClock;
import io.orgsync.store.DatabaseProbe;
import io.orgsync.store.SecretCipher;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStore;
import io.orgsync.sync.RunWatch;
import io.orgsync.sync.SyncProgress;
import io.orgsync.sync.SyncRunner;
import io.orgsync.time.Waiter;
import io.orgsync.token.TokenHolder;
import io.orgsync.upstream.UpstreamClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One orgsync node, assembled from its settings: the database, the token holder and upstream
 * client, the enterprises and their Quartz jobs, the sync runner and the HTTP server. This is
 * the only place that knows every feature; the features know only each other's public faces.
 *
 * <p>What a command, a test or a benchmark may do with a running node is its public face: its
 * port and pool, the database's clock, a sync now, the enterprises, the scheduler, alerts and
 * events. The features themselves stay package-private; the tests that prove how one of them
 * behaves reach it through their own {@code NodeInternals}.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    final Settings settings;
    /** The database's time, which every feature of the node takes its times from (docs/guarantees.md, "Time"). */
    final DatabaseClock clock;

    final Database db;
    final PrometheusMeterRegistry metrics;
    final Alerts alerts;
    final TokenHolder tokens;
    final UpstreamClient upstream;
    final RunStore runs;
    /** On a read-only node, one that refuses every job operation. */
    final SyncScheduler scheduler;

    final EnterpriseService enterprises;
    final SyncRunner runner;
    final MemberQueries members;
    final OrgWriter org;
    final ReadCache readCache;
    final ReadAnswers reads;
    final MiniAppService miniApps;
    final ResolveService resolver;
    final NodeRegistry nodeRegistry;
    final RunWatch runWatch;
    final CallbackSettings callbacks;
    final Events events;
    /** Null on read-only nodes. */
    final EventDrainer eventDrainer;
    /** Null on nodes that run no jobs. */
    final SyncFreshness freshness;
    /** The change feed: its routes on every node, its deliverers on writing nodes. */
    final Feed feed;

    final HttpServer http;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();

    private Node(Settings settings, Clock wallClock, LongSupplier timeShift, Waiter waiter) throws Exception {
        this.settings = settings;
        String version = settings.buildVersion() != null ? settings.buildVersion() : version();
        NodeParts.announceStart(settings, version);
        this.db = track(NodeParts.database(settings));
        this.clock = NodeParts.databaseClock(db, wallClock, timeShift);
        this.metrics = NodeParts.metricsRegistry();
        track(new DatabaseProbe(db, metrics, java.time.Duration.ofSeconds(5)));
        this.runs = new RunStore(db.dataSource(), clock);
        this.scheduler = settings.readOnly()
                ? SyncScheduler.readOnly()
                : track(SyncScheduler.create(NodeParts.schedulerConfig(settings), runs, waiter));
        this.alerts = track(NodeParts.alerts(settings, db, clock, metrics, scheduler));
        this.tokens = track(
                new TokenHolder(db.dataSource(), clock, waiter, TokenHolder.Config.from(settings), alerts, metrics));
        this.upstream =
                track(new UpstreamClient(tokens, alerts, metrics, clock, waiter, UpstreamClient.Config.from(settings)));
        SecretCipher cipher = new SecretCipher(settings.secretKey());
        // every write of an org tells this node's read cache at once; other nodes' caches follow the change log
        this.org = new OrgWriter(db.dataSource(), clock);
        this.readCache = new ReadCache(settings.lookupCacheMb(), settings.cacheStaleness(), metrics, waiter);
        VersionWatch versionWatch = new VersionWatch(db.dataSource(), readCache, settings.cacheStaleness(), waiter);
        org.listen(versionWatch.listener());
        this.enterprises = new EnterpriseService(
                db.dataSource(),
                cipher,
                scheduler.enterpriseJobs(),
                clock,
                EnterpriseService.Config.from(settings),
                org);
        this.members = new MemberQueries(db.dataSource(), readCache);
        this.miniApps =
                new MiniAppService(db.dataSource(), cipher, clock, upstream, MiniAppService.Config.from(settings));
        this.resolver = new ResolveService(
                db.dataSource(),
                enterprises,
                members,
                upstream,
                alerts,
                metrics,
                clock,
                waiter,
                ResolveConfig.from(settings),
                org);
        this.callbacks = new CallbackSettings(
                db.dataSource(), cipher, clock, settings.callbackBaseUrl(), settings.env(), metrics);
        this.events = new Events(db.dataSource(), settings.env());
        this.runner = new SyncRunner(
                db.dataSource(),
                enterprises,
                upstream,
                alerts,
                metrics,
                clock,
                waiter,
                SyncRunner.Options.from(settings),
                org,
                callbacks::enabled);
        // the node registry first: a stale build is fenced before its scheduler could fire a single job
        this.nodeRegistry = track(new NodeRegistry(
                        db.dataSource(),
                        clock,
                        alerts,
                        metrics,
                        NodeRegistry.Config.from(settings, version),
                        NodeParts.fence(scheduler))
                .start());
        // after the registry's first heartbeat: until then another node could take this one's queues for a dead node's
        this.eventDrainer = settings.readOnly()
                ? null
                : track(new EventDrainer(
                                db.dataSource(),
                                events,
                                new EventApplier(
                                        db.dataSource(),
                                        events,
                                        enterprises,
                                        upstream,
                                        settings.wecomBaseUrl(),
                                        alerts,
                                        metrics,
                                        clock,
                                        org,
                                        settings.eventRetryHorizon()),
                                clock,
                                settings.instanceId(),
                                nodeRegistry::fenced)
                        .start());
        this.runWatch = settings.readOnly()
                ? null
                : track(new RunWatch(runs, clock, settings.instanceId(), runner::activeCorps, settings.heartbeat())
                        .start());
        scheduler.start(runner, NodeParts.retention(settings, db, runs, clock), enterprises::listings, alerts);
        this.freshness = settings.readOnly() || !settings.schedulerEnabled()
                ? null
                : track(NodeParts.freshness(settings, runs, clock, metrics));
        track(versionWatch.start());
        // after the registry's first heartbeat, like the event drainer: a fenced node delivers nothing
        this.feed =
                track(Feed.create(db.dataSource(), settings, clock, cipher, metrics, alerts, org, nodeRegistry::fenced)
                        .start());
        this.reads = new ReadAnswers(db.dataSource(), readCache, members, Cursors.keyedBy(settings.secretKey()));
        List<HttpServer.Routes> routes = NodeRoutes.of(
                new NodeRoutes.Parts(
                        settings,
                        reads,
                        metrics,
                        resolver,
                        miniApps,
                        enterprises,
                        scheduler,
                        runs,
                        nodeRegistry,
                        alerts,
                        callbacks,
                        events,
                        clock,
                        db,
                        eventDrainer,
                        feed),
                version);
        this.http = track(new HttpServer(settings.httpHost(), settings.httpPort(), metrics, routes, true));
        NodeParts.announceServing(settings, http.port());
    }

    /** {@code wallClock}: this node's own clock, which the database's time is read through. */
    public static Node start(Settings settings, Clock wallClock) throws Exception {
        return start(settings, wallClock, () -> 0);
    }

    /**
     * For tests: {@code timeShift} says how far (in milliseconds) the test has moved time forward
     * for the whole cluster, the database included, as every node started with it reads the time.
     */
    public static Node start(Settings settings, Clock wallClock, LongSupplier timeShift) throws Exception {
        return start(settings, wallClock, timeShift, Waiter.system());
    }

    /**
     * For tests: {@code waiter} is what every wait of the node is spent on (the token holder's
     * polling, the upstream client's backoff, a sync's pacing and recovery wait, the resolve
     * budget's polling, a planned stop's grace), so a test can drive them instead of sleeping.
     */
    public static Node start(Settings settings, Clock wallClock, LongSupplier timeShift, Waiter waiter)
            throws Exception {
        return new Node(settings, wallClock, timeShift, waiter);
    }

    /** The port the HTTP server listens on (an ephemeral one when ORGSYNC_HTTP_PORT is 0). */
    public int port() {
        return http.port();
    }

    /** The node's connection pool: for tests and benchmarks that look at what the node wrote. */
    public DataSource dataSource() {
        return db.dataSource();
    }

    /** The database's time, as every feature of this node reads it. */
    public Clock clock() {
        return clock;
    }

    public Settings settings() {
        return settings;
    }

    /** Runs one sync of {@code corpId} now, on the calling thread, as a Quartz job would. */
    public Run sync(String corpId, SyncProgress progress) throws Exception {
        return runner.run(corpId, progress);
    }

    public Run sync(String corpId) throws Exception {
        return sync(corpId, SyncProgress.NONE);
    }

    /** Registering, changing and removing enterprises, as the admin API does. */
    public EnterpriseService enterprises() {
        return enterprises;
    }

    /** On a read-only node, one that refuses every job operation. */
    public SyncScheduler scheduler() {
        return scheduler;
    }

    public Alerts alerts() {
        return alerts;
    }

    /** The contact-change events this node's environment received. */
    public Events events() {
        return events;
    }

    /** The build version from the jar's manifest (ORGSYNC_BUILD_VERSION overrides it, also per node through Settings). */
    public static String version() {
        return NodeParts.version();
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /**
     * Stops in dependency order: no more requests; then the scheduler, which lets running syncs
     * finish or hands them over while everything they use still works; then the rest newest
     * first (upstream client, tokens, alerts, ...), the node registry (the node looks alive until its
     * runs are handed over), and the database pool last.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return; // a shutdown hook and the command's own close may both call it
        }
        for (AutoCloseable c : NodeParts.stopOrder(closeables, List.of(http, scheduler), List.of(nodeRegistry, db))) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("Shutdown of {}: {}", c.getClass().getSimpleName(), Failures.describe(e));
            }
        }
        log.info("orgsync {} stopped", settings.instanceId());
    }
}
