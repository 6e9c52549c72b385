package io.orgsync.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The Javalin server of a node. Feature packages hand in their routes; this class adds what
 * every request shares: a trace id (from X-Request-Id or new) in the log context and the
 * response, request timings, and the error answers of {@link ErrorMapping}.
 */
public final class HttpServer implements AutoCloseable {
    private static final Pattern TRACE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A feature's routes. */
    public interface Routes {
        void register(RoutesConfig routes);
    }

    /** A registered route: its HTTP method and Javalin's path pattern ({@code /admin/api/jobs/{corpId}/pause}). */
    public record Route(String method, String path) {}

    private final Javalin app;
    private final List<Route> routes = new java.util.concurrent.CopyOnWriteArrayList<>();

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
            // Javalin's own account of every handler added: what the API document must cover
            config.events.handlerAdded(added -> {
                if (added.getHttpMethod().isHttpMethod()) {
                    routes.add(new Route(added.getHttpMethod().name(), added.getPath()));
                }
            });
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
                    sample.stop(metrics.timer(
                            "orgsync_http_request_seconds",
                            "method",
                            ctx.method().name(),
                            "route",
                            route,
                            "status",
                            String.valueOf(ctx.statusCode())));
                }
                MDC.remove("traceId");
            });
            ErrorMapping.register(r);
            for (Routes group : groups) {
                group.register(r);
            }
        });
        app.start(host, port);
    }

    /**
     * 12 hex digits from a thread-local generator: a trace id needs to be unique enough to find
     * log lines, not unguessable, and UUID.randomUUID() goes through a SecureRandom every request.
     */
    static String newTraceId() {
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong() | (1L << 60));
        return hex.substring(hex.length() - 12);
    }

    public int port() {
        return app.port();
    }

    /** Every route the features registered, in registration order (filters and error handlers aside). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    @Override
    public void close() {
        app.stop();
    }
}
