package io.orgsync.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orgsync.common.RequestException;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The Javalin server of a node. Feature packages hand in their routes; this class adds what
 * every request shares: a trace id (from X-Request-Id or new) in the log context and the
 * response, the JSON error model, request timings, and no stack trace ever in a response.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final Pattern TRACE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A feature's routes. */
    public interface Routes {
        void register(RoutesConfig routes);
    }

    private final Javalin app;

    public HttpServer(String host, int port, MeterRegistry metrics, List<Routes> groups, boolean console) {
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = 1_000_000;
            // GET on the resolve route is a wrong method, not a missing route: say so
            config.http.prefer405over404 = true;
            // Jetty refuses some requests before Javalin sees them (bad URL encoding): JSON there too
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            if (console) {
                config.staticFiles.add(files -> {
                    files.hostedPath = "/admin";
                    files.directory = "/admin";
                    files.location = Location.CLASSPATH;
                });
            }
            RoutesConfig r = config.routes;
            r.before(ctx -> {
                String given = ctx.header("X-Request-Id");
                String trace = given != null && TRACE_ID.matcher(given).matches() ? given : newTraceId();
                MDC.put("traceId", trace);
                ctx.header("X-Request-Id", trace);
                ctx.attribute("timer", Timer.start(metrics));
            });
            r.after(ctx -> {
                Timer.Sample sample = ctx.attribute("timer");
                if (sample != null) {
                    // ctx.endpoint() here is this after-handler ("*"): the route is the matched HTTP endpoint's
                    var matched = ctx.endpoints().matchedHttpEndpoint();
                    String route = matched == null ? "unmatched" : matched.path;
                    sample.stop(metrics.timer("orgsync_http_request_seconds", "method", ctx.method().name(), "route", route,
                            "status", String.valueOf(ctx.statusCode())));
                }
                MDC.remove("traceId");
            });
            r.exception(RequestException.class, (e, ctx) -> {
                if (e.retryAfterSeconds() > 0) {
                    ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
                }
                error(ctx, e.status(), e.code(), e.getMessage());
            });
            r.exception(RefusedException.class, (e, ctx) -> {
                if (e.retryAfterSeconds() > 0) {
                    ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
                }
                error(ctx, status(e.reason()), e.reason().name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
            });
            r.exception(SQLException.class, (e, ctx) -> {
                // the database is down, overloaded or gone: the caller may retry; the details stay in the log
                log.error("Request {} {} failed in the database: {}", ctx.method(), ctx.path(), where(e));
                ctx.header("Retry-After", "5");
                error(ctx, 503, "unavailable", "the database did not answer; retry later (trace id " + MDC.get("traceId") + ")");
            });
            r.exception(Exception.class, (e, ctx) -> {
                if (databaseUnreachable(e)) {
                    // an outage, not a bug: one line in the log, and an answer that tells the caller to retry
                    log.warn("Request {} {}: the database is unreachable ({})", ctx.method(), ctx.path(), e.getClass().getSimpleName());
                    ctx.header("Retry-After", "5");
                    error(ctx, 503, "unavailable", "the database is unreachable; retry in a few seconds (trace id " + MDC.get("traceId") + ")");
                    return;
                }
                log.error("Request {} {} failed: {}", ctx.method(), ctx.path(), where(e));
                error(ctx, 500, "unavailable", "internal error; the server log has the details under trace id " + MDC.get("traceId"));
            });
            r.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().startsWith("Endpoint")) {
                    error(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path());
                }
            });
            r.error(405, ctx -> error(ctx, 405, "invalid_request", "method " + ctx.method() + " is not allowed on " + ctx.path()));
            r.error(413, ctx -> error(ctx, 413, "invalid_request", "the body is too large (1 MB at most)"));
            for (Routes group : groups) {
                group.register(r);
            }
        });
        app.start(host, port);
    }

    /**
     * What failed, for the log: exception classes down the cause chain, SQL states, and the first
     * frame of our own code. Not the messages or the stack: SPEC allows no SQL text, secret or
     * stack trace in a log line, and driver messages can carry both SQL and values.
     */
    static String where(Throwable e) {
        StringBuilder out = new StringBuilder();
        StackTraceElement ours = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(out.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql) {
                out.append(" (SQLState ").append(sql.getSQLState()).append(", code ").append(sql.getErrorCode()).append(')');
            }
            for (StackTraceElement frame : t.getStackTrace()) {
                if (ours == null && frame.getClassName().startsWith("io.orgsync.")) {
                    ours = frame;
                }
            }
        }
        return ours == null ? out.toString() : out + " at " + ours;
    }

    /**
     * 12 hex digits from a thread-local generator: a trace id needs to be unique enough to find
     * log lines, not unguessable, and UUID.randomUUID() goes through a SecureRandom every request.
     */
    static String newTraceId() {
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong() | (1L << 60));
        return hex.substring(hex.length() - 12);
    }

    /** A lost or refused database connection (SQLState class 08, or the pool's time-out waiting for one). */
    static boolean databaseUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof io.orgsync.store.DatabaseUnavailableException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** The HTTP status of a refusal (its error code is the reason's name in lower case). */
    static int status(Refusal reason) {
        return switch (reason) {
            case INVALID_REQUEST, INVALID_MOBILE -> 400;
            case UNAUTHORIZED -> 401;
            case NOT_FOUND, UNKNOWN_CORP, UNKNOWN_APP -> 404;
            case CONFLICT -> 409;
            case RATE_LIMITED, BUDGET_EXHAUSTED -> 429;
            case UPSTREAM_ERROR -> 502;
            case READ_ONLY, ADMIN_DISABLED, UNAVAILABLE -> 503;
        };
    }

    public static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).json(Map.of("error", Map.of("code", code, "message", message)));
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
