package io.orgsync.http;

import io.javalin.config.RoutesConfig;
import io.orgsync.store.Database;
import io.orgsync.store.DatabaseClock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health}: UP with the node's facts, or 503 DOWN when the database is unreachable.
 * A clock off the database's by more than {@link DatabaseClock#REPORTED_SKEW} shows as
 * {@code clock.skewed} without making the node DOWN: orgsync takes its times from the database.
 */
public final class HealthRoutes implements HttpServer.Routes {
    private final Database db;
    private final DatabaseClock clock;
    private final boolean schedulerEnabled;
    private final BooleanSupplier schedulerStarted;
    private final String instanceId;
    private final String env;
    private final String version;

    public HealthRoutes(
            Database db,
            DatabaseClock clock,
            boolean schedulerEnabled,
            BooleanSupplier schedulerStarted,
            String instanceId,
            String env,
            String version) {
        this.db = db;
        this.clock = clock;
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
            body.put("clock", clock());
            body.put("version", version);
            ctx.status(dbUp ? 200 : 503).json(body);
        });
    }

    /** The last measurement of this node's clock against the database's (nulls before the first). */
    private Map<String, Object> clock() {
        DatabaseClock.Reading r = clock.reading().orElse(null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", "database");
        out.put("offsetMs", r == null ? null : r.skewMillis());
        out.put("roundTripMs", r == null ? null : r.roundTripMillis());
        out.put("measuredAt", r == null ? null : Instant.ofEpochMilli(r.at()).toString());
        out.put("skewed", r != null && r.skewed());
        out.put("maxSkewMs", DatabaseClock.REPORTED_SKEW.toMillis());
        return out;
    }
}
