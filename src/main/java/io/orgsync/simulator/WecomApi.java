package io.orgsync.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The WeCom server API of docs/upstream.md, answered from the simulated enterprises. */
final class WecomApi {
    private static final Gate.Api GETTOKEN = new Gate.Api("/cgi-bin/gettoken", Gate.Family.WECOM, false, false, null);
    private static final Gate.Api DEPARTMENT_LIST = Gate.Api.wecom("/cgi-bin/department/list", true, "department");
    private static final Gate.Api DEPARTMENT_SIMPLELIST =
            Gate.Api.wecom("/cgi-bin/department/simplelist", true, "department_id");
    private static final Gate.Api DEPARTMENT_GET = Gate.Api.wecom("/cgi-bin/department/get", true, null);
    private static final Gate.Api USER_SIMPLELIST = Gate.Api.wecom("/cgi-bin/user/simplelist", true, "userlist");
    private static final Gate.Api USER_LIST = Gate.Api.wecom("/cgi-bin/user/list", true, "userlist");
    private static final Gate.Api USER_GET = Gate.Api.wecom("/cgi-bin/user/get", false, null);
    private static final Gate.Api USER_LIST_ID = Gate.Api.wecom("/cgi-bin/user/list_id", false, "dept_user");
    private static final Gate.Api GETUSERID = Gate.Api.wecom("/cgi-bin/user/getuserid", false, null);

    private final Simulator sim;
    private final Gate gate;
    private final ObjectMapper mapper;

    WecomApi(Simulator sim, Gate gate, ObjectMapper mapper) {
        this.sim = sim;
        this.gate = gate;
        this.mapper = mapper;
    }

    void routes(RoutesConfig routes) {
        routes.get(GETTOKEN.path(), gate.tokenCall(GETTOKEN, ctx -> ctx.queryParam("corpid"), this::gettoken));
        routes.get(DEPARTMENT_LIST.path(), gate.call(DEPARTMENT_LIST, this::departmentList));
        routes.get(DEPARTMENT_SIMPLELIST.path(), gate.call(DEPARTMENT_SIMPLELIST, this::departmentSimpleList));
        routes.get(DEPARTMENT_GET.path(), gate.call(DEPARTMENT_GET, this::departmentGet));
        routes.get(USER_SIMPLELIST.path(), gate.call(USER_SIMPLELIST, call -> userList(call, false)));
        routes.get(USER_LIST.path(), gate.call(USER_LIST, call -> userList(call, true)));
        routes.get(USER_GET.path(), gate.call(USER_GET, this::userGet));
        routes.post(USER_LIST_ID.path(), gate.call(USER_LIST_ID, this::userListId));
        routes.post(GETUSERID.path(), gate.call(GETUSERID, this::getuserid));
    }

    private void gettoken(Gate.Call call) {
        Context ctx = call.ctx;
        String corpId = ctx.queryParam("corpid");
        String secret = ctx.queryParam("corpsecret");
        if (corpId == null || corpId.isEmpty()) {
            call.error(Errcodes.CORPID_MISSING);
            return;
        }
        if (secret == null || secret.isEmpty()) {
            call.error(Errcodes.SECRET_MISSING);
            return;
        }
        SimCorp corp = sim.corps.get(corpId);
        if (corp == null) {
            call.error(Errcodes.INVALID_CORPID);
            return;
        }
        SimToken.Kind kind;
        if (secret.equals(corp.secret)) {
            kind = SimToken.Kind.WECOM_APP;
        } else if (secret.equals(corp.setup.contactSecret())) {
            kind = SimToken.Kind.WECOM_CONTACT;
        } else {
            gate.wrongSecret(ctx.ip(), call.now);
            call.error(Errcodes.INVALID_CREDENTIAL, "invalid secret");
            return;
        }
        SimToken token = sim.tokens.wecom(
                kind,
                corpId,
                call.now,
                sim.limits().tokenTtlMillis(),
                sim.limits().wecomSameTokenWithinValidity());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.value);
        body.put("expires_in", token.secondsLeft(call.now));
        call.ok(body);
    }

    /** Returned by {@link #departmentParam} when it has already answered the call with an error. */
    private static final int ANSWERED = Integer.MIN_VALUE;

    /**
     * A department id parameter: null when absent and optional, {@link #ANSWERED} when missing
     * or not a number (the error is sent). Any other number, negative ones included, is looked
     * up and an unknown one answered 60123, as WeCom does.
     */
    private Integer departmentParam(Gate.Call call, String name, boolean required) {
        String raw = call.ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            if (required) {
                call.error(Errcodes.INVALID_PARAMETER, "missing " + name);
                return ANSWERED;
            }
            return null;
        }
        try {
            int id = Integer.parseInt(raw);
            return id == ANSWERED ? Integer.valueOf(-1) : Integer.valueOf(id);
        } catch (NumberFormatException e) {
            call.error(Errcodes.INVALID_PARAMETER, "invalid " + name);
            return ANSWERED;
        }
    }

    private void departmentList(Gate.Call call) throws Exception {
        departments(call, "department", true);
    }

    private void departmentSimpleList(Gate.Call call) throws Exception {
        departments(call, "department_id", false);
    }

    /** department/list and simplelist: the subtree of {@code id}, or all the token may see. */
    private void departments(Gate.Call call, String field, boolean full) throws Exception {
        TokenView view = new TokenView(call.token, call.corp());
        if (full && refusedAsNewIp(call, view)) {
            return;
        }
        Integer id = departmentParam(call, "id", false);
        if (id != null && (id == ANSWERED || !readableDepartment(call, view, id))) {
            return;
        }
        Org org = view.org;
        byte[] body = cached(org, call.api.path() + "?" + id + " " + view.cacheKey(), () -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (SimDepartment d : id == null ? view.departments() : org.subtree(id)) {
                list.add(full ? WecomShapes.department(d, org.leaders(d.id())) : WecomShapes.simpleDepartment(d));
            }
            return Map.of(field, list);
        });
        call.okBytes(body);
    }

    private void departmentGet(Gate.Call call) {
        TokenView view = new TokenView(call.token, call.corp());
        if (refusedAsNewIp(call, view)) {
            return;
        }
        Integer id = departmentParam(call, "id", true);
        if (id == ANSWERED || !readableDepartment(call, view, id)) {
            return;
        }
        call.ok(Map.of("department", WecomShapes.department(view.org.department(id), view.org.leaders(id))));
    }

    private void userList(Gate.Call call, boolean full) throws Exception {
        TokenView view = new TokenView(call.token, call.corp());
        if (refusedAsNewIp(call, view)) {
            return;
        }
        Integer id = departmentParam(call, "department_id", true);
        if (id == ANSWERED || !readableDepartment(call, view, id)) {
            return;
        }
        Org org = view.org;
        byte[] body = cached(org, call.api.path() + "?" + id + " " + view.cacheKey(), () -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (SimMember m : org.directMembers(id)) {
                if (view.seesFlagged(m)) {
                    list.add(full ? WecomShapes.member(m, view.mobilesVisible()) : WecomShapes.simpleMember(m));
                }
            }
            return Map.of("userlist", list);
        });
        call.okBytes(body);
    }

    private void userGet(Gate.Call call) {
        TokenView view = new TokenView(call.token, call.corp());
        if (refusedAsNewIp(call, view)) {
            return;
        }
        String userid = call.ctx.queryParam("userid");
        if (userid == null || userid.isEmpty()) {
            call.error(Errcodes.INVALID_PARAMETER, "missing userid");
            return;
        }
        SimMember m = view.org.member(userid);
        if (m == null) {
            call.error(Errcodes.USERID_NOT_FOUND);
        } else if (!view.seesFlagged(m)) {
            call.error(Errcodes.OUT_OF_RANGE);
        } else if (!view.seesMember(m)) {
            call.error(Errcodes.NO_PRIVILEGE);
        } else {
            call.ok(WecomShapes.member(m, view.mobilesVisible()));
        }
    }

    /** A contact-sync secret on a new IP may not read details: answered 48009. */
    private static boolean refusedAsNewIp(Gate.Call call, TokenView view) {
        if (view.refusedAsNewIp()) {
            call.error(Errcodes.NEW_IP);
            return true;
        }
        return false;
    }

    /** An unknown department is answered 60123, one outside the app's range 60011. */
    private static boolean readableDepartment(Gate.Call call, TokenView view, int id) {
        if (view.org.department(id) == null) {
            call.error(Errcodes.INVALID_DEPARTMENT);
            return false;
        }
        if (!view.seesDepartment(id)) {
            call.error(Errcodes.NO_PRIVILEGE);
            return false;
        }
        return true;
    }

    private void userListId(Gate.Call call) {
        if (call.token.kind != SimToken.Kind.WECOM_CONTACT) {
            call.error(Errcodes.API_FORBIDDEN, "api forbidden: user/list_id needs the contact-sync secret");
            return;
        }
        Map<String, Object> body = jsonBody(call);
        if (body == null) {
            return;
        }
        Object given = body.getOrDefault("limit", 10_000);
        // a whole number only: "50" or 2.5 is refused, as WeCom refuses them
        long limit = given instanceof Integer || given instanceof Long ? ((Number) given).longValue() : 0;
        if (limit < 1 || limit > 10_000) {
            call.error(Errcodes.INVALID_PARAMETER, "limit must be from 1 to 10000");
            return;
        }
        int offset = 0;
        Object cursor = body.get("cursor");
        if (cursor != null && !cursor.toString().isEmpty()) {
            try {
                offset = Integer.parseInt(
                        new String(Base64.getUrlDecoder().decode(cursor.toString()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                call.error(Errcodes.INVALID_PARAMETER, "invalid cursor");
                return;
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SimMember m : call.corp().org().members()) {
            for (int dept : m.departments()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("userid", m.userid());
                row.put("department", dept);
                rows.add(row);
            }
        }
        long pageRows = sim.limits().listIdPageRows();
        if (pageRows > 0) {
            // a test's shorter pages (PUT /__sim/limits): the cursor still says where the next one starts
            limit = Math.min(limit, pageRows);
        }
        int end = (int) Math.min(rows.size(), offset + limit);
        List<Map<String, Object>> page = offset >= rows.size() ? List.of() : rows.subList(offset, end);
        String next = end < rows.size()
                ? Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8))
                : "";
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("next_cursor", next);
        out.put("dept_user", page);
        call.ok(out);
    }

    private void getuserid(Gate.Call call) {
        SimCorp corp = call.corp();
        if (corp.getuseridBlocked(sim.clock.chinaDay(), sim.limits().getuseridFailureRatio())) {
            call.error(
                    Errcodes.FREQ_LIMIT,
                    "api freq out of limit: getuserid failures passed "
                            + Math.round(sim.limits().getuseridFailureRatio() * 100) + "% of the member limit today");
            return;
        }
        Map<String, Object> body = jsonBody(call);
        if (body == null) {
            return;
        }
        String mobile = body.get("mobile") == null ? "" : body.get("mobile").toString();
        int bytes = mobile.getBytes(StandardCharsets.UTF_8).length;
        String normalised = Mobiles.normalise(mobile);
        if (bytes < 5 || bytes > 32 || normalised == null) {
            corp.recordGetuseridFailure(sim.clock.chinaDay());
            call.error(Errcodes.INVALID_MOBILE);
            return;
        }
        SimMember m = corp.org().memberByMobile(normalised);
        // the app must see the member: one outside its range is "not found", as an unknown mobile
        if (m == null || !new TokenView(call.token, corp).seesMember(m)) {
            corp.recordGetuseridFailure(sim.clock.chinaDay());
            call.error(Errcodes.USER_NOT_FOUND);
            return;
        }
        call.ok(Map.of("userid", m.userid()));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> jsonBody(Gate.Call call) {
        try {
            Object parsed = mapper.readValue(call.ctx.bodyAsBytes(), Object.class);
            if (parsed instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (Exception ignored) {
            // answered below, as the upstream does
        }
        call.error(Errcodes.NOT_JSON);
        return null;
    }

    private interface BodyMaker {
        Map<String, Object> make();
    }

    /** Answers are cached per org snapshot: a change to the org makes a new snapshot. */
    private byte[] cached(Org org, String key, BodyMaker maker) throws Exception {
        byte[] bytes = org.answers.get(key);
        if (bytes == null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("errcode", 0);
            body.put("errmsg", "ok");
            body.putAll(maker.make());
            bytes = mapper.writeValueAsBytes(body);
            org.answers.put(key, bytes);
        }
        return bytes;
    }
}
