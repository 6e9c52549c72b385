package io.orgsync.miniapp;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.http.HttpServer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/miniapps/{appId}/wxacode}: parameters checked against the upstream's rules
 * before any call, the image passed through with its content type, and the same code served
 * from a bounded cache with an ETag, because a code for a fixed page and scene never changes.
 */
public final class WxaCodeRoutes implements HttpServer.Routes {
    private static final Pattern SCENE = Pattern.compile("[0-9A-Za-z!#$&'()*+,/:;=?@\\-._~]{1,32}");
    private static final Pattern PAGE = Pattern.compile("[A-Za-z0-9_\\-.]+(/[A-Za-z0-9_\\-.]+)*");
    private static final List<String> ENV_VERSIONS = List.of("release", "trial", "develop");
    private static final Duration TTL = Duration.ofMinutes(10);

    private record Cached(byte[] bytes, String contentType, String etag) {}

    private final MiniAppService apps;
    private final Cache<WxaKey, Cached> cache = CacheBuilder.newBuilder()
            .maximumWeight(64L * 1024 * 1024)
            .<WxaKey, Cached>weigher((k, v) -> v.bytes.length)
            .expireAfterWrite(TTL)
            .build();

    private record WxaKey(String appId, WxaCodeRequest request) {}

    public WxaCodeRoutes(MiniAppService apps) {
        this.apps = apps;
        // a deleted app's codes are no longer served from here, cached or not
        apps.onDelete(
                appId -> cache.asMap().keySet().removeIf(key -> key.appId().equals(appId)));
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/miniapps/{appId}/wxacode", this::wxacode);
    }

    private void wxacode(Context ctx) throws Exception {
        String appId = ctx.pathParam("appId");
        if (!MiniAppService.APP_ID.matcher(appId).matches()) {
            throw invalid("appId must be 1 to 64 letters, digits or _ . - (e.g. wx1234abcd)");
        }
        WxaCodeRequest request = parse(ctx);
        WxaKey key = new WxaKey(appId, request);
        Cached hit = cache.getIfPresent(key);
        if (hit == null) {
            WxaCode code = apps.unlimitedCode(appId, request);
            hit = new Cached(code.bytes(), code.contentType(), etag(code.bytes()));
            cache.put(key, hit);
        }
        ctx.header("ETag", hit.etag);
        ctx.header("Cache-Control", "public, max-age=" + TTL.toSeconds());
        if (notModified(ctx.header("If-None-Match"), hit.etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType(hit.contentType).result(hit.bytes);
    }

    private static WxaCodeRequest parse(Context ctx) {
        // a parameter given twice is ambiguous: refuse it rather than pick one and cache that
        ctx.queryParamMap().forEach((name, values) -> {
            if (values.size() > 1) {
                throw invalid("give " + name.replaceAll("[^A-Za-z]", "") + " once");
            }
        });
        String scene = ctx.queryParam("scene");
        if (scene == null || !SCENE.matcher(scene).matches()) {
            throw invalid("scene must be 1 to 32 characters of 0-9 A-Z a-z and !#$&'()*+,/:;=?@-._~");
        }
        String page = ctx.queryParam("page");
        if (page != null
                && (page.isEmpty() || page.length() > 128 || !PAGE.matcher(page).matches())) {
            throw invalid("page must be a page path like pages/index/index: no leading '/', no query string");
        }
        Integer width = null;
        String w = ctx.queryParam("width");
        if (w != null) {
            try {
                width = Integer.parseInt(w);
            } catch (NumberFormatException e) {
                width = -1;
            }
            if (width < 280 || width > 1280) {
                throw invalid("width must be a whole number from 280 to 1280");
            }
        }
        String env = ctx.queryParam("envVersion");
        if (env != null && !ENV_VERSIONS.contains(env)) {
            throw invalid("envVersion must be release, trial or develop");
        }
        return new WxaCodeRequest(scene, page, width, env, bool(ctx, "checkPath"), bool(ctx, "isHyaline"));
    }

    private static Boolean bool(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return null;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(name + " must be true or false");
        }
        return Boolean.valueOf(v);
    }

    private static RefusedException invalid(String message) {
        return new RefusedException(Refusal.INVALID_REQUEST, message);
    }

    /**
     * If-None-Match as RFC 9110 has it: a list of tags, compared weakly ("W/" ignored: proxies
     * that compress add it), or "*". An exact-string test missed lists and weak tags.
     */
    static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String etag(byte[] bytes) throws Exception {
        return "\""
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
    }
}
