package io.orgsync.http;

import io.javalin.config.RoutesConfig;
import io.orgsync.store.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code GET /health}: UP with the node's facts, or 503 DOWN when the database is unreachable. */
public final class HealthRoutes implements HttpServer.Routes {
    private final Database db;
    private final boolean schedulerEnabled;
    private final BooleanSupplier schedulerStarted;
    private final String instanceId;
    private final String env;
    private final String version;

    public HealthRoutes(
            Database db,
            boolean schedulerEnabled,
            BooleanSupplier schedulerStarted,
            String instanceId,
            String env,
            String version) {
        this.db = db;
        this.schedulerEnabled = schedulerEnabled;
        this.schedulerStarted = schedulerStarted;
        this.instanceId = instanceId;
        this.env = env;
        this.version = version;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/health", ctx -> {
            boolean dbUp = db.ping();
            Map<String, Object> scheduler = new LinkedHashMap<>();
            scheduler.put("enabled", schedulerEnabled);
            scheduler.put("started", schedulerStarted.getAsBoolean());
            scheduler.put("instanceId", instanceId);
            scheduler.put("env", env);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", dbUp ? "UP" : "DOWN");
            body.put(
                    "db",
                    Map.of(
                            "status",
                            dbUp ? "UP" : "DOWN",
                            "type",
                            db.dialect().name().toLowerCase()));
            body.put("scheduler", scheduler);
            body.put("version", version);
            ctx.status(dbUp ? 200 : 503).json(body);
        });
    }
}
