package io.orgsync;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orgsync.alert.AlertSink;
import io.orgsync.alert.AlertStore;
import io.orgsync.admin.AdminRoutes;
import io.orgsync.alert.Alerts;
import io.orgsync.alert.MailSink;
import io.orgsync.cluster.Membership;
import io.orgsync.alert.WebhookSink;
import io.orgsync.config.Settings;
import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.EnterpriseJobs;
import io.orgsync.enterprise.EnterpriseService;
import io.orgsync.http.AccessRules;
import io.orgsync.http.HealthRoutes;
import io.orgsync.logging.Failures;
import io.orgsync.member.LookupRoutes;
import io.orgsync.member.MemberQueries;
import io.orgsync.miniapp.MiniAppService;
import io.orgsync.miniapp.WxaCodeRoutes;
import io.orgsync.read.Cursors;
import io.orgsync.read.OrgVersions;
import io.orgsync.read.ReadAnswers;
import io.orgsync.read.ReadCache;
import io.orgsync.read.ReadRoutes;
import io.orgsync.read.VersionWatch;
import io.orgsync.resolve.ResolveRetention;
import io.orgsync.resolve.ResolveRoutes;
import io.orgsync.resolve.ResolveService;
import io.orgsync.http.HttpServer;
import io.orgsync.http.MetricsRoutes;
import io.orgsync.schedule.Retention;
import io.orgsync.schedule.Scheduling;
import io.orgsync.store.Database;
import io.orgsync.store.SecretCipher;
import io.orgsync.sync.RunStore;
import io.orgsync.sync.RunWatch;
import io.orgsync.sync.SyncRunner;
import io.orgsync.token.TokenHolder;
import io.orgsync.upstream.UpstreamClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One orgsync node, assembled from its settings: the database, the token holder and upstream
 * client, the enterprises and their Quartz jobs, the sync runner and the HTTP server. This is
 * the only place that knows every feature; the features know only each other's public faces.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    public final Settings settings;
    public final Clock clock;
    public final Database db;
    public final PrometheusMeterRegistry metrics;
    public final Alerts alerts;
    public final TokenHolder tokens;
    public final UpstreamClient upstream;
    public final RunStore runs;
    public final Scheduling scheduling;
    public final EnterpriseService enterprises;
    public final SyncRunner runner;
    public final MemberQueries members;
    public final OrgVersions versions;
    public final ReadCache readCache;
    public final ReadAnswers reads;
    public final MiniAppService miniApps;
    public final ResolveService resolver;
    public final Membership membership;
    public final RunWatch runWatch;
    public final HttpServer http;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private Node(Settings settings, Clock clock) throws Exception {
        this.settings = settings;
        this.clock = clock;
        String version = settings.buildVersion() != null ? settings.buildVersion() : version();
        log.info("Starting orgsync {} as {} in environment '{}': {}", version, settings.instanceId(), settings.env(), settings);
        if (settings.secretKey() == null && !settings.readOnly()) {
            log.warn("ORGSYNC_SECRET_KEY is not set: enterprise and app secrets are stored in plain text. Set it to encrypt them.");
        }
        this.db = track(Database.open(settings, "orgsync", 10 + settings.syncThreads()));
        if (!settings.readOnly()) {
            db.migrate();
        }
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        this.runs = new RunStore(db.dataSource(), clock);
        this.scheduling = settings.readOnly() ? null : track(new Scheduling(new Scheduling.Config(settings.schedulerName(),
                settings.instanceId(), settings.syncThreads(), settings.schedulerEnabled(), settings.dbUrl(), settings.dbUser(),
                settings.dbPassword(), settings.shutdownGrace()), runs));
        List<AlertSink> sinks = new ArrayList<>();
        if (settings.alertWebhook() != null) {
            sinks.add(new WebhookSink(settings.alertWebhook()));
        }
        if (!settings.alertEmails().isEmpty() && scheduling != null) {
            scheduling.useSmtp(new Scheduling.Smtp(settings.smtpHost(), settings.smtpPort(), settings.smtpFrom()));
            sinks.add(new MailSink(settings.alertEmails(), scheduling));
        }
        // the alert table makes "once per key and window" hold for the whole cluster; a read-only node only reads it
        this.alerts = track(new Alerts(clock, metrics, sinks, settings.env() + "/" + settings.instanceId(),
                new AlertStore(db.dataSource(), settings.env(), settings.readOnly())));
        this.tokens = track(new TokenHolder(db.dataSource(), clock, settings.tokenWait(), settings.tokenRefreshAhead(),
                settings.upstreamTimeout(), settings.instanceId(), alerts, metrics));
        this.upstream = track(new UpstreamClient(tokens, alerts, metrics, clock, settings.nodeRate(), settings.upstreamTimeout()));
        EnterpriseJobs jobs = scheduling != null ? scheduling : readOnlyJobs();
        SecretCipher cipher = new SecretCipher(settings.secretKey());
        // every write of an org tells this node's read cache at once; other nodes' caches poll the versions
        this.versions = new OrgVersions();
        this.readCache = new ReadCache(settings.lookupCacheMb(), settings.cacheStaleness(), metrics);
        versions.listen(readCache);
        this.enterprises = new EnterpriseService(db.dataSource(), cipher, jobs, clock, settings.env(), versions);
        this.members = new MemberQueries(db.dataSource(), readCache);
        this.miniApps = new MiniAppService(db.dataSource(), cipher, clock, upstream, settings.wechatBaseUrl());
        this.resolver = new ResolveService(db.dataSource(), enterprises, members, upstream, settings.wecomBaseUrl(), alerts, metrics,
                clock, settings.resolveBudgetRatio(), settings.resolveRate(), settings.instanceId(), resolveReservationLease(settings), versions);
        this.runner = new SyncRunner(db.dataSource(), enterprises, upstream, alerts, metrics, clock, new SyncRunner.Options(
                settings.instanceId(), settings.wecomBaseUrl(), settings.deptRate(), settings.maxRemovalRatio(), settings.syncDeadline()), versions);
        // membership first: a stale build is fenced before its scheduler could fire a single job
        this.membership = track(new Membership(db.dataSource(), clock, alerts, metrics, settings.instanceId(), settings.env(), version,
                settings.schedulerEnabled(), settings.readOnly(), new Membership.Fence() {
            public void stopTakingJobs() throws Exception {
                scheduling.standby();
            }

            public void resumeTakingJobs() throws Exception {
                scheduling.resumeTaking();
            }
        }).start());
        this.runWatch = settings.readOnly() ? null
                : track(new RunWatch(runs, clock, settings.instanceId(), runner::activeCorps).start());
        if (scheduling != null) {
            scheduling.reconcile(enterprises.listings());
            scheduling.start(runner, new Retention(runs, new ResolveRetention(db.dataSource()), clock, settings.runRetention()));
        }
        track(new VersionWatch(db.dataSource(), readCache, settings.cacheStaleness()).start());
        this.reads = new ReadAnswers(db.dataSource(), readCache, members, Cursors.keyedBy(settings.secretKey()));
        List<HttpServer.Routes> routes = List.of(
                new AccessRules(settings.apiToken(), settings.readOnly()),
                new LookupRoutes(reads, metrics),
                new ReadRoutes(reads),
                new ResolveRoutes(resolver),
                new WxaCodeRoutes(miniApps),
                new AdminRoutes(settings.adminToken(), enterprises, miniApps, scheduling, runs, membership, alerts),
                new HealthRoutes(db, settings.schedulerEnabled(), () -> scheduling != null && scheduling.started(),
                        settings.instanceId(), settings.env(), version),
                new MetricsRoutes(metrics));
        this.http = track(new HttpServer("0.0.0.0", settings.httpPort(), metrics, routes, true));
        log.info("orgsync {} serving on port {} (scheduler {})", settings.instanceId(), http.port(),
                settings.schedulerEnabled() ? "executing jobs" : settings.readOnly() ? "off: read-only node" : "created, not executing jobs");
    }

    public static Node start(Settings settings, Clock clock) throws Exception {
        return new Node(settings, clock);
    }

    /** The build version from the jar's manifest (ORGSYNC_BUILD_VERSION overrides it, also per node through Settings). */
    public static String version() {
        String override = System.getProperty("orgsync.build.version", System.getenv("ORGSYNC_BUILD_VERSION"));
        if (override != null && !override.isBlank()) {
            return override.trim();
        }
        String v = Node.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * How long a resolve's budget reservation outlives a node that died holding it: longer than a
     * live resolve's worst case (getuserid and user/get, each up to 4 attempts, a token fetched
     * again and one more attempt, every one within the upstream time-out, plus the token waits),
     * so that a slow call never loses its unit to another resolve.
     */
    private static java.time.Duration resolveReservationLease(Settings settings) {
        return settings.upstreamTimeout().multipliedBy(14).plus(settings.tokenWait().multipliedBy(2)).plusMinutes(1);
    }

    private static EnterpriseJobs readOnlyJobs() {
        return new EnterpriseJobs() {
            public void scheduleOrUpdate(Enterprise enterprise) {
                throw new IllegalStateException("read-only node");
            }

            public void remove(String corpId) {
                throw new IllegalStateException("read-only node");
            }
        };
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /**
     * Stops in dependency order: no more requests; then the scheduler, which lets running syncs
     * finish or hands them over while everything they use still works; then the rest newest
     * first (upstream client, tokens, alerts, ...), membership (the node looks alive until its
     * runs are handed over), and the database pool last.
     */
    @Override
    public void close() {
        List<AutoCloseable> order = new ArrayList<>();
        order.add(http);
        if (scheduling != null) {
            order.add(scheduling);
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            AutoCloseable c = closeables.get(i);
            if (!order.contains(c) && c != membership && c != db) {
                order.add(c);
            }
        }
        order.add(membership);
        order.add(db);
        for (AutoCloseable c : order) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("Shutdown of {}: {}", c.getClass().getSimpleName(), Failures.describe(e));
            }
        }
        log.info("orgsync {} stopped", settings.instanceId());
    }
}
