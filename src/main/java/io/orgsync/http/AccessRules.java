package io.orgsync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call what: /api needs ORGSYNC_API_TOKEN when it is set, and a read-only node answers
 * every writing request with 503 read_only before it reaches a handler. The read routes (GET of
 * members, departments and the lookup by mobile) also take the admin token, so that the console,
 * which holds only that one, shows the organisation: whoever has the admin token may already
 * give orgsync any enterprise's secrets, so it reads nothing more than it could otherwise. It
 * opens no other /api route (a resolve spends WeCom's budget, a code the mini-program's quota).
 */
public final class AccessRules implements HttpServer.Routes {
    private static final Logger log = LoggerFactory.getLogger(AccessRules.class);
    private static final Set<HandlerType> WRITES =
            Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    private static final Pattern WXACODE = Pattern.compile("/api/v1/miniapps/[^/]+/wxacode/?");
    private static final Pattern READS =
            Pattern.compile("/api/v1/(corps/[^/]+/(members|departments|changes)(/.*)?|members/by-mobile(/.*)?)");
    private final String apiToken;
    private final boolean readOnly;
    private final String adminToken;

    public AccessRules(String apiToken, boolean readOnly, String adminToken) {
        this.apiToken = apiToken;
        this.readOnly = readOnly;
        this.adminToken = adminToken;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.before("/api/*", ctx -> {
            if (apiToken != null && !bearerMatches(ctx, apiToken) && !adminReads(ctx)) {
                throw new RefusedException(
                        Refusal.UNAUTHORIZED, "send the API token as 'Authorization: Bearer <ORGSYNC_API_TOKEN>'");
            }
        });
        routes.before(ctx -> {
            if (readOnly
                    && WRITES.contains(ctx.method())
                    && (ctx.path().startsWith("/api/") || ctx.path().startsWith("/admin/api/"))) {
                throw new RefusedException(
                        Refusal.READ_ONLY,
                        "this node is read-only (ORGSYNC_READ_ONLY=true): send writes to a writing node");
            }
            // A code is a GET, but it needs the cluster's token row, which a SELECT-only account
            // cannot fetch into or renew: say so, instead of a 503 that blames the database.
            if (readOnly && WXACODE.matcher(ctx.path()).matches()) {
                throw new RefusedException(
                        Refusal.READ_ONLY,
                        "this node is read-only (ORGSYNC_READ_ONLY=true) and cannot keep "
                                + "the mini-program token: ask a writing node for codes");
            }
        });
    }

    /** A GET of a read route with the admin token (the console's organisation view). */
    private boolean adminReads(Context ctx) {
        return adminToken != null
                && ctx.method() == HandlerType.GET
                && READS.matcher(ctx.path()).matches()
                && bearerMatches(ctx, adminToken);
    }

    /**
     * Says loudly at start-up when the public API is open to whoever reaches the port: without
     * ORGSYNC_API_TOKEN anyone can read the whole organisation and spend every enterprise's daily
     * resolve budget. Quiet when the node listens on a loopback address only (behind a local proxy).
     */
    public static void warnIfOpen(String bindHost, String apiToken) {
        if (apiToken == null && !loopback(bindHost)) {
            log.warn(
                    "ORGSYNC_API_TOKEN is not set and the node listens on {}: anyone who reaches the port can read "
                            + "every enterprise's members and spend their daily resolve budget. Set ORGSYNC_API_TOKEN "
                            + "(16+ characters), or bind to 127.0.0.1 with ORGSYNC_HTTP_HOST behind a proxy that checks callers.",
                    bindHost);
        }
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Compares the bearer token in constant time: both sides are hashed first, so that neither
     * the content nor the length of the expected token shows in the timing.
     */
    public static boolean bearerMatches(Context ctx, String expected) {
        String header = ctx.header("Authorization");
        // the scheme name is case-insensitive (RFC 7235)
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(sha256(header.substring(7).trim()), sha256(expected));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
