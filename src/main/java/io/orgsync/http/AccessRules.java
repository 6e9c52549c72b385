package io.orgsync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.orgsync.common.RequestException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Who may call what: /api needs ORGSYNC_API_TOKEN when it is set, and a read-only node answers
 * every writing request with 503 read_only before it reaches a handler.
 */
public final class AccessRules implements HttpServer.Routes {
    private static final Set<HandlerType> WRITES = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    private final String apiToken;
    private final boolean readOnly;

    public AccessRules(String apiToken, boolean readOnly) {
        this.apiToken = apiToken;
        this.readOnly = readOnly;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.before("/api/*", ctx -> {
            if (apiToken != null && !bearerMatches(ctx, apiToken)) {
                throw new RequestException(401, "unauthorized", "send the API token as 'Authorization: Bearer <ORGSYNC_API_TOKEN>'");
            }
        });
        routes.before(ctx -> {
            if (readOnly && WRITES.contains(ctx.method()) && (ctx.path().startsWith("/api/") || ctx.path().startsWith("/admin/api/"))) {
                throw new RequestException(503, "read_only", "this node is read-only (ORGSYNC_READ_ONLY=true): send writes to a writing node");
            }
        });
    }

    /** Constant-time comparison of the bearer token, so that timing reveals nothing of it. */
    public static boolean bearerMatches(Context ctx, String expected) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
    }
}
