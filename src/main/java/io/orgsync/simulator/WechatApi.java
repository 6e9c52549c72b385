package io.orgsync.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The mini-program server API of docs/upstream.md, and WeCom's group-robot webhook. */
final class WechatApi {
    private static final Gate.Api CLASSIC_TOKEN =
            new Gate.Api("/cgi-bin/token", Gate.Family.WECHAT, false, false, null);
    private static final Gate.Api STABLE_TOKEN =
            new Gate.Api("/cgi-bin/stable_token", Gate.Family.WECHAT, false, false, null);
    private static final Gate.Api WXACODE =
            new Gate.Api("/wxa/getwxacodeunlimit", Gate.Family.WECHAT, true, false, null);
    private static final Gate.Api WEBHOOK =
            new Gate.Api("/cgi-bin/webhook/send", Gate.Family.WECOM, false, false, null);
    private static final Pattern SCENE = Pattern.compile("[0-9A-Za-z!#$&'()*+,/:;=?@\\-._~]+");
    private static final List<String> ENV_VERSIONS = List.of("release", "trial", "develop");
    private static final List<String> MSG_TYPES =
            List.of("text", "markdown", "markdown_v2", "image", "news", "file", "voice", "template_card");

    private final Simulator sim;
    private final Gate gate;
    private final ObjectMapper mapper;
    private final WxaCodeImages images = new WxaCodeImages();

    WechatApi(Simulator sim, Gate gate, ObjectMapper mapper) {
        this.sim = sim;
        this.gate = gate;
        this.mapper = mapper;
    }

    void routes(RoutesConfig routes) {
        routes.get(
                CLASSIC_TOKEN.path(),
                gate.tokenCall(CLASSIC_TOKEN, ctx -> ctx.queryParam("appid"), this::classicToken));
        routes.post(STABLE_TOKEN.path(), gate.tokenCall(STABLE_TOKEN, this::appIdOfBody, this::stableToken));
        routes.post(WXACODE.path(), gate.call(WXACODE, this::wxacode));
        routes.post(WEBHOOK.path(), gate.tokenCall(WEBHOOK, ctx -> "webhook:" + ctx.queryParam("key"), this::webhook));
    }

    private String appIdOfBody(Context ctx) {
        Map<String, Object> body = parse(ctx);
        return body == null || body.get("appid") == null
                ? null
                : body.get("appid").toString();
    }

    private void classicToken(Gate.Call call) {
        Context ctx = call.ctx;
        SimApp app =
                authenticate(call, ctx.queryParam("grant_type"), ctx.queryParam("appid"), ctx.queryParam("secret"));
        if (app == null) {
            return;
        }
        if (!sim.counters.tryCount(
                "classic-day " + app.appId() + " " + sim.clock.chinaDay(),
                call.now,
                Long.MAX_VALUE,
                sim.limits().classicTokensPerDay(),
                0)) {
            call.error(Errcodes.FREQ_LIMIT, "reach max api daily quota limit");
            return;
        }
        SimToken token = sim.tokens.classic(app.appId(), call.now, sim.limits().tokenTtlMillis());
        tokenAnswer(call, token);
    }

    private void stableToken(Gate.Call call) {
        Map<String, Object> body = parse(call.ctx);
        if (body == null) {
            call.error(Errcodes.NOT_JSON);
            return;
        }
        SimApp app =
                authenticate(call, text(body.get("grant_type")), text(body.get("appid")), text(body.get("secret")));
        if (app == null) {
            return;
        }
        if (!sim.counters.tryCount(
                "stable-minute " + app.appId(), call.now, 60_000, sim.limits().stableTokensPerMinute(), 60_000)) {
            call.error(Errcodes.FREQ_LIMIT);
            return;
        }
        boolean force = Boolean.TRUE.equals(body.get("force_refresh"));
        SimToken token = sim.tokens.stable(
                app.appId(),
                call.now,
                sim.limits().tokenTtlMillis(),
                force,
                sim.clock.chinaDay(),
                sim.limits().stableHandsBackInvalidated());
        if (token == null) {
            call.error(Errcodes.FREQ_LIMIT, "force_refresh allowed 20 times a day and 30 seconds apart");
            return;
        }
        tokenAnswer(call, token);
    }

    private SimApp authenticate(Gate.Call call, String grantType, String appId, String secret) {
        if (!"client_credential".equals(grantType)) {
            call.error(40002, "invalid grant_type");
            return null;
        }
        if (appId == null || appId.isEmpty()) {
            call.error(41002, "appid missing");
            return null;
        }
        if (secret == null || secret.isEmpty()) {
            call.error(41004, "appsecret missing");
            return null;
        }
        SimApp app = sim.apps.get(appId);
        if (app == null) {
            call.error(Errcodes.INVALID_CORPID, "invalid appid");
            return null;
        }
        if (!secret.equals(app.secret())) {
            gate.wrongSecret(call.ctx.ip(), call.now);
            call.error(40125, "invalid appsecret");
            return null;
        }
        return app;
    }

    /** Token answers of the mini-program API carry no errcode on success. */
    private void tokenAnswer(Gate.Call call, SimToken token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.value);
        body.put("expires_in", token.secondsLeft(call.now));
        gate.json(call.ctx, 200, body);
    }

    private void wxacode(Gate.Call call) throws java.io.IOException {
        SimApp app = call.app();
        if (!sim.counters.tryCount(
                "wxacode-minute " + app.appId(), call.now, 60_000, sim.limits().wxacodePerMinute(), 60_000)) {
            call.error(Errcodes.FREQ_LIMIT);
            return;
        }
        Map<String, Object> body = parse(call.ctx);
        if (body == null) {
            call.error(Errcodes.SCENE_OR_JSON);
            return;
        }
        String scene = text(body.get("scene"));
        if (scene == null || scene.isEmpty() || !SCENE.matcher(scene).matches()) {
            call.error(scene != null && scene.length() > 32 ? Errcodes.SCENE_OR_JSON : Errcodes.INVALID_SCENE);
            return;
        }
        if (scene.length() > 32) {
            call.error(Errcodes.SCENE_OR_JSON);
            return;
        }
        String page = text(body.get("page"));
        if (page == null || page.isEmpty()) {
            page = SimApp.HOME_PAGE;
        }
        boolean checkPath = !Boolean.FALSE.equals(body.get("check_path"));
        if (page.startsWith("/")
                || page.contains("?")
                || (checkPath && !app.pages().contains(page))) {
            call.error(Errcodes.INVALID_PAGE);
            return;
        }
        String env = body.get("env_version") == null ? "release" : text(body.get("env_version"));
        if (!ENV_VERSIONS.contains(env)) {
            call.error(Errcodes.INVALID_ARGS, "invalid env_version");
            return;
        }
        int width = 430;
        if (body.get("width") != null) {
            if (!(body.get("width") instanceof Number n) || n.intValue() < 280 || n.intValue() > 1280) {
                call.error(Errcodes.INVALID_ARGS, "width must be from 280 to 1280");
                return;
            }
            width = ((Number) body.get("width")).intValue();
        }
        Color line = Color.BLACK;
        if (body.get("line_color") instanceof Map<?, ?> c && !Boolean.TRUE.equals(body.get("auto_color"))) {
            line = new Color(channel(c.get("r")), channel(c.get("g")), channel(c.get("b")));
        }
        byte[] jpeg = images.render(scene, page, env, width, line);
        Gate.send(call.ctx, 200, "image/jpeg", jpeg);
    }

    private void webhook(Gate.Call call) {
        String key = call.ctx.queryParam("key");
        if (key == null || key.isEmpty()) {
            call.error(Errcodes.WEBHOOK_INVALID);
            return;
        }
        Map<String, Object> body = parse(call.ctx);
        if (body == null) {
            call.error(Errcodes.NOT_JSON);
            return;
        }
        String type = text(body.get("msgtype"));
        if (type == null || !MSG_TYPES.contains(type)) {
            call.error(40008, "invalid message type");
            return;
        }
        if (!(body.get(type) instanceof Map<?, ?>)) {
            call.error(Errcodes.INVALID_PARAMETER, "missing " + type + " content");
            return;
        }
        sim.webhooks.add(key, body, sim.clock.now());
        gate.json(call.ctx, 200, Map.of("errcode", 0, "errmsg", "ok"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(Context ctx) {
        Object cached = ctx.attribute("sim.body");
        if (cached != null) {
            return cached instanceof Map<?, ?> ? (Map<String, Object>) cached : null;
        }
        Object parsed;
        try {
            parsed = mapper.readValue(ctx.bodyAsBytes(), Object.class);
        } catch (Exception e) {
            parsed = "invalid";
        }
        ctx.attribute("sim.body", parsed == null ? "invalid" : parsed);
        return parsed instanceof Map<?, ?> ? (Map<String, Object>) parsed : null;
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }

    private static int channel(Object v) {
        int n;
        try {
            n = v instanceof Number num
                    ? num.intValue()
                    : v == null ? 0 : Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        return Math.max(0, Math.min(255, n));
    }
}
