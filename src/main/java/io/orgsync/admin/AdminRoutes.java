package io.orgsync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.orgsync.alert.Alerts;
import io.orgsync.cluster.NodeRegistry;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.enterprise.EnterpriseListing;
import io.orgsync.enterprise.EnterpriseService;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.http.AccessRules;
import io.orgsync.http.HttpServer;
import io.orgsync.http.Json;
import io.orgsync.http.ListLimit;
import io.orgsync.miniapp.MiniAppService;
import io.orgsync.schedule.JobControl;
import io.orgsync.schedule.JobView;
import io.orgsync.sync.RunStore;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The admin API under /admin/api, behind ORGSYNC_ADMIN_TOKEN (compared in constant time). It
 * works on nodes whose scheduler is disabled: Quartz's tables are shared, so pausing or
 * triggering from here acts on the whole environment.
 */
public final class AdminRoutes implements HttpServer.Routes {
    private final String adminToken;
    private final EnterpriseService enterprises;
    private final MiniAppService miniApps;
    private final JobControl jobs;
    private final RunStore runs;
    private final NodeRegistry nodeRegistry;
    private final Alerts alerts;
    /** More fields of an enterprise's listing from other features (the callback URL), by corp id. */
    private final java.util.function.Function<String, Map<String, Object>> enterpriseExtras;

    /** {@code jobs}: on a read-only node, one that refuses every operation (503 read_only). */
    public AdminRoutes(
            String adminToken,
            EnterpriseService enterprises,
            MiniAppService miniApps,
            JobControl jobs,
            RunStore runs,
            NodeRegistry nodeRegistry,
            Alerts alerts) {
        this(adminToken, enterprises, miniApps, jobs, runs, nodeRegistry, alerts, corpId -> Map.of());
    }

    /** {@code enterpriseExtras}: more fields of an enterprise's listing from other features (the callback URL). */
    public AdminRoutes(
            String adminToken,
            EnterpriseService enterprises,
            MiniAppService miniApps,
            JobControl jobs,
            RunStore runs,
            NodeRegistry nodeRegistry,
            Alerts alerts,
            java.util.function.Function<String, Map<String, Object>> enterpriseExtras) {
        this.enterpriseExtras = enterpriseExtras;
        this.adminToken = adminToken;
        this.enterprises = enterprises;
        this.miniApps = miniApps;
        this.jobs = jobs;
        this.runs = runs;
        this.nodeRegistry = nodeRegistry;
        this.alerts = alerts;
    }

    @Override
    public void register(RoutesConfig r) {
        // Javalin ignores trailing slashes, so this route also gets "/admin/": redirecting that to
        // itself looped forever and the console never loaded. Serve the page there instead.
        r.get("/admin", ctx -> {
            if (!ctx.path().endsWith("/")) {
                ctx.redirect("/admin/");
                return;
            }
            try (InputStream page = AdminRoutes.class.getResourceAsStream("/admin/index.html")) {
                ctx.contentType("text/html; charset=utf-8").result(page.readAllBytes());
            }
        });
        r.before("/admin/api/*", ctx -> {
            if (adminToken == null) {
                throw new RefusedException(
                        Refusal.ADMIN_DISABLED,
                        "the admin API is disabled on this node: set ORGSYNC_ADMIN_TOKEN to enable it");
            }
            if (!AccessRules.bearerMatches(ctx, adminToken)) {
                throw new RefusedException(
                        Refusal.UNAUTHORIZED, "send the admin token as 'Authorization: Bearer <ORGSYNC_ADMIN_TOKEN>'");
            }
        });
        // listings, not enterprises: one secret this node cannot open must not take the whole list down
        r.get(
                "/admin/api/enterprises",
                ctx -> ctx.json(
                        enterprises.listings().stream().map(this::enterprise).toList()));
        r.put("/admin/api/enterprises/{corpId}", ctx -> {
            String corpId =
                    enterprises.put(ctx.pathParam("corpId"), change(ctx)).corpId();
            ctx.json(enterprise(enterprises.listing(corpId)));
        });
        r.delete("/admin/api/enterprises/{corpId}", ctx -> {
            enterprises.delete(ctx.pathParam("corpId"));
            ctx.json(Map.of("deleted", ctx.pathParam("corpId")));
        });
        r.put("/admin/api/miniapps/{appId}", ctx -> {
            JsonNode body = object(ctx);
            ctx.json(AdminViews.miniApp(miniApps.put(
                    ctx.pathParam("appId"), text(body, "name"), text(body, "secret"), text(body, "tokenMode"))));
        });
        r.get(
                "/admin/api/miniapps",
                ctx -> ctx.json(
                        miniApps.list().stream().map(AdminViews::miniApp).toList()));
        r.delete("/admin/api/miniapps/{appId}", ctx -> {
            miniApps.delete(ctx.pathParam("appId"));
            ctx.json(Map.of("deleted", ctx.pathParam("appId")));
        });
        r.get("/admin/api/jobs", ctx -> {
            List<EnterpriseListing> listed = enterprises.listings();
            List<JobView> views = jobs.jobs(listed);
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            for (int i = 0; i < listed.size(); i++) {
                out.add(AdminViews.job(views.get(i), listed.get(i).problem()));
            }
            ctx.json(out);
        });
        r.post("/admin/api/jobs/{corpId}/pause", ctx -> ctx.json(AdminViews.job(jobs.pause(known(ctx)))));
        r.post("/admin/api/jobs/{corpId}/resume", ctx -> ctx.json(AdminViews.job(jobs.resume(known(ctx)))));
        r.post(
                "/admin/api/jobs/{corpId}/trigger",
                ctx -> ctx.json(AdminViews.job(jobs.trigger(known(ctx), "true".equals(ctx.queryParam("force"))))));
        r.post("/admin/api/scheduler/pause-all", ctx -> {
            jobs.pauseAll();
            ctx.json(Map.of("paused", true));
        });
        r.post("/admin/api/scheduler/resume-all", ctx -> {
            jobs.resumeAll();
            ctx.json(Map.of("resumed", true));
        });
        r.get("/admin/api/runs", ctx -> {
            String corpId = ctx.queryParam("corpId");
            int limit = ListLimit.parse(ctx.queryParam("limit"));
            ctx.json(runs.list(corpId == null || corpId.isEmpty() ? null : corpId, limit).stream()
                    .map(AdminViews::run)
                    .toList());
        });
        r.get(
                "/admin/api/cluster",
                ctx -> ctx.json(
                        nodeRegistry.nodes().stream().map(AdminViews::node).toList()));
        r.get(
                "/admin/api/alerts",
                ctx -> ctx.json(alerts.recent(ListLimit.parse(ctx.queryParam("limit"))).stream()
                        .map(AdminViews::alert)
                        .toList()));
    }

    private Map<String, Object> enterprise(EnterpriseListing e) {
        Map<String, Object> m = AdminViews.enterprise(e);
        m.putAll(enterpriseExtras.apply(e.corpId()));
        return m;
    }

    private String known(Context ctx) throws Exception {
        return enterprises.listing(ctx.pathParam("corpId")).corpId();
    }

    private static EnterpriseChange change(Context ctx) {
        JsonNode body = object(ctx);
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!List.of("name", "secret", "contactSecret", "cron", "enabled", "agentId")
                    .contains(field)) {
                throw invalid("unknown field '" + field
                        + "'; an enterprise has name, secret, contactSecret, cron, enabled, agentId");
            }
        }
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw invalid("enabled must be true or false");
        }
        JsonNode agentId = body.get("agentId");
        // canConvertToLong alone lets 1.5 through (stored as 1): a whole number means an integral JSON number
        if (agentId != null && !agentId.isNull() && !(agentId.isIntegralNumber() && agentId.canConvertToLong())) {
            throw invalid("agentId must be a whole number");
        }
        return new EnterpriseChange(
                text(body, "name"),
                text(body, "secret"),
                text(body, "cron"),
                enabled == null || enabled.isNull() ? null : enabled.asBoolean(),
                agentId == null || agentId.isNull() ? null : agentId.asLong(),
                text(body, "contactSecret"));
    }

    private static JsonNode object(Context ctx) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            throw invalid("the body must be a JSON object");
        }
        if (body == null || !body.isObject()) {
            throw invalid("the body must be a JSON object");
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return v.asText();
    }

    private static RefusedException invalid(String message) {
        return new RefusedException(Refusal.INVALID_REQUEST, message);
    }
}
