package io.orgsync.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.http.HttpServer;
import io.orgsync.http.Json;
import io.orgsync.http.ListLimit;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin routes of callbacks, under /admin/api (behind the admin token like the others):
 * the settings, write-only, and the received events.
 */
public final class CallbackAdminRoutes implements HttpServer.Routes {
    private final CallbackSettings settings;
    private final Events events;

    public CallbackAdminRoutes(CallbackSettings settings, Events events) {
        this.settings = settings;
        this.events = events;
    }

    @Override
    public void register(RoutesConfig r) {
        r.put("/admin/api/enterprises/{corpId}/callback", ctx -> {
            String corpId = ctx.pathParam("corpId");
            JsonNode body = body(ctx);
            settings.put(corpId, text(body, "token"), text(body, "aesKey"));
            ctx.json(listingFields(corpId));
        });
        r.delete("/admin/api/enterprises/{corpId}/callback", ctx -> {
            String corpId = ctx.pathParam("corpId");
            settings.delete(corpId);
            ctx.json(listingFields(corpId));
        });
        // this environment's enterprises only; a corp of another one answers 409, as its settings do
        r.get("/admin/api/events", ctx -> {
            String corpId = ctx.queryParam("corpId");
            List<StoredEvent> list = events.listed(
                    corpId == null || corpId.isEmpty() ? null : corpId, ListLimit.parse(ctx.queryParam("limit")));
            ctx.json(list.stream().map(CallbackAdminRoutes::view).toList());
        });
    }

    /** What the enterprise listing shows of callbacks: whether they are on, and the URL to paste into WeCom's page. */
    public Map<String, Object> listingFields(String corpId) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("callback", settings.enabled(corpId));
        } catch (SQLException e) {
            throw new IllegalStateException("callback settings unreadable", e);
        }
        m.put("callbackUrl", settings.url(corpId));
        return m;
    }

    static Map<String, Object> view(StoredEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("corpId", e.corpId());
        m.put("changeType", e.changeType());
        m.put("subject", e.subject());
        m.put("createTime", Json.time(e.createTime() * 1000));
        m.put("receivedAt", Json.time(e.receivedAt()));
        m.put("appliedAt", Json.time(e.appliedAt()));
        m.put("lagMs", e.appliedAt() == null ? null : Math.max(0, e.appliedAt() - e.createTime() * 1000));
        m.put("status", e.status().name());
        m.put("attempts", e.attempts());
        m.put("error", e.error());
        return m;
    }

    private static JsonNode body(Context ctx) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new RefusedException(
                    Refusal.INVALID_REQUEST, "the body must be a JSON object {\"token\", \"aesKey\"}");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!List.of("token", "aesKey").contains(field)) {
                throw new RefusedException(
                        Refusal.INVALID_REQUEST,
                        "unknown field '" + field + "'; the callback settings are token and aesKey");
            }
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw new RefusedException(Refusal.INVALID_REQUEST, field + " must be a string");
        }
        return v == null || v.isNull() ? null : v.asText();
    }
}
