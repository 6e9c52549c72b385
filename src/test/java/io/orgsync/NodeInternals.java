package io.orgsync;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orgsync.callback.CallbackSettings;
import io.orgsync.callback.EventDrainer;
import io.orgsync.cluster.NodeRegistry;
import io.orgsync.http.HttpServer;
import io.orgsync.member.MemberQueries;
import io.orgsync.miniapp.MiniAppService;
import io.orgsync.org.OrgWriter;
import io.orgsync.read.ReadAnswers;
import io.orgsync.read.ReadCache;
import io.orgsync.resolve.ResolveService;
import io.orgsync.schedule.SyncFreshness;
import io.orgsync.store.Database;
import io.orgsync.sync.RunStore;
import io.orgsync.sync.RunWatch;
import io.orgsync.sync.SyncRunner;

/**
 * The parts of a {@link Node} that only tests reach: a test that proves how the read cache, the
 * node registry or the run watch behaves drives that part itself. Everything else goes through
 * the node's public face ({@link Node#port}, {@link Node#dataSource}, {@link Node#sync}, ...).
 */
public final class NodeInternals {
    private NodeInternals() {}

    public static Database db(Node node) {
        return node.db;
    }

    public static HttpServer http(Node node) {
        return node.http;
    }

    public static PrometheusMeterRegistry metrics(Node node) {
        return node.metrics;
    }

    public static SyncRunner runner(Node node) {
        return node.runner;
    }

    public static RunStore runs(Node node) {
        return node.runs;
    }

    public static RunWatch runWatch(Node node) {
        return node.runWatch;
    }

    public static MemberQueries members(Node node) {
        return node.members;
    }

    public static OrgWriter org(Node node) {
        return node.org;
    }

    public static ReadCache readCache(Node node) {
        return node.readCache;
    }

    public static ReadAnswers reads(Node node) {
        return node.reads;
    }

    public static ResolveService resolver(Node node) {
        return node.resolver;
    }

    public static MiniAppService miniApps(Node node) {
        return node.miniApps;
    }

    public static NodeRegistry nodeRegistry(Node node) {
        return node.nodeRegistry;
    }

    public static CallbackSettings callbacks(Node node) {
        return node.callbacks;
    }

    public static EventDrainer eventDrainer(Node node) {
        return node.eventDrainer;
    }

    public static SyncFreshness freshness(Node node) {
        return node.freshness;
    }
}
