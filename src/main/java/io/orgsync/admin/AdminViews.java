package io.orgsync.admin;

import static io.orgsync.http.Json.time;

import io.orgsync.alert.AlertRecord;
import io.orgsync.cluster.ClusterNode;
import io.orgsync.enterprise.Access;
import io.orgsync.enterprise.EnterpriseListing;
import io.orgsync.miniapp.MiniApp;
import io.orgsync.miniapp.MiniAppSummary;
import io.orgsync.schedule.JobView;
import io.orgsync.sync.Run;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of the admin API (docs/http-api.md): secrets never appear, times are ISO-8601 UTC. */
final class AdminViews {
    private AdminViews() {}

    static Map<String, Object> alert(AlertRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", a.type());
        m.put("subject", a.subject());
        m.put("message", a.message());
        m.put("firstAt", time(a.firstAt()));
        m.put("lastAt", time(a.lastAt()));
        m.put("count", a.count());
        Map<String, Object> delivered = new LinkedHashMap<>();
        delivered.put("webhook", a.webhook());
        delivered.put("email", a.email());
        m.put("delivered", delivered);
        return m;
    }

    /** {@code problem}: what keeps the enterprise from syncing and how to fix it, null when nothing does. */
    static Map<String, Object> enterprise(EnterpriseListing e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("corpId", e.corpId());
        m.put("name", e.name());
        m.put("cron", e.cron());
        m.put("enabled", e.enabled());
        m.put("agentId", e.agentId());
        m.put("createdAt", time(e.createdAt()));
        m.put("updatedAt", time(e.updatedAt()));
        m.put("problem", e.problem());
        Map<String, Object> secrets = new LinkedHashMap<>();
        secrets.put("app", e.hasSecret());
        secrets.put("contactSync", e.hasContactSecret());
        m.put("secrets", secrets);
        m.put("access", access(e.access()));
        return m;
    }

    /** What the set-up read at its last complete sync; every field null before the first (docs/http-api.md). */
    private static Map<String, Object> access(Access a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("names", a == null ? null : a.names());
        m.put("mobiles", a == null ? null : a.mobilesVisible() ? "visible" : "hidden");
        m.put("complete", a == null ? null : a.complete());
        m.put("range", a == null ? null : a.wholeRange() ? "whole" : "partial");
        m.put("checkedAt", a == null ? null : time(a.checkedAt()));
        return m;
    }

    static Map<String, Object> miniApp(MiniApp a) {
        return miniApp(new MiniAppSummary(a.appId(), a.name(), a.stableToken(), a.createdAt(), a.updatedAt()));
    }

    static Map<String, Object> miniApp(MiniAppSummary a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("appId", a.appId());
        m.put("name", a.name());
        m.put("tokenMode", a.stableToken() ? "stable" : "classic");
        m.put("createdAt", time(a.createdAt()));
        m.put("updatedAt", time(a.updatedAt()));
        return m;
    }

    static Map<String, Object> job(JobView j, String problem) {
        Map<String, Object> m = job(j);
        m.put("problem", problem);
        return m;
    }

    static Map<String, Object> job(JobView j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("corpId", j.corpId());
        m.put("state", j.state());
        m.put("cron", j.cron());
        m.put("nextFireTime", time(j.nextFireTime()));
        m.put("previousFireTime", time(j.previousFireTime()));
        m.put("lastRun", j.lastRun() == null ? null : run(j.lastRun()));
        return m;
    }

    static Map<String, Object> run(Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("corpId", r.corpId());
        m.put("instanceId", r.instanceId());
        m.put("status", r.status().name());
        m.put("startedAt", time(r.startedAt()));
        m.put("finishedAt", time(r.finishedAt()));
        m.put("departments", r.departments());
        m.put("membersAdded", r.membersAdded());
        m.put("membersUpdated", r.membersUpdated());
        m.put("membersRemoved", r.membersRemoved());
        m.put("upstreamCalls", r.upstreamCalls());
        m.put("drift", r.drift());
        m.put("error", r.error());
        return m;
    }

    static Map<String, Object> node(ClusterNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instanceId", n.instanceId());
        m.put("env", n.env());
        m.put("version", n.version());
        m.put("schedulerEnabled", n.schedulerEnabled());
        m.put("readOnly", n.readOnly());
        m.put("lastSeen", time(n.lastSeen()));
        m.put("alive", n.alive());
        m.put("fenced", n.fenced());
        return m;
    }
}
