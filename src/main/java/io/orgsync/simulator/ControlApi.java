package io.orgsync.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The {@code /__sim} routes that tests, benchmarks and the demo use to set up and inspect the simulator. */
final class ControlApi {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final List<String> MEMBER_FIELDS = List.of("userid", "name", "mobile", "department", "order",
            "is_leader_in_dept", "position", "gender", "email", "biz_mail", "avatar", "telephone", "alias", "status",
            "main_department", "address", "outsideAppRange");

    /** Bad control input: answered 400 (or the given status) with the reason. */
    static final class ControlException extends RuntimeException {
        final int status;

        ControlException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final Simulator sim;
    private final ObjectMapper mapper;

    ControlApi(Simulator sim, ObjectMapper mapper) {
        this.sim = sim;
        this.mapper = mapper;
    }

    void routes(RoutesConfig r) {
        r.exception(ControlException.class, (e, ctx) -> reply(ctx, e.status, Map.of("error", e.getMessage())));
        r.exception(IllegalArgumentException.class, (e, ctx) -> reply(ctx, 400, Map.of("error", e.getMessage())));
        r.post("/__sim/corps", ctx -> reply(ctx, 201, createCorp(body(ctx))));
        r.get("/__sim/corps", ctx -> reply(ctx, 200, new ArrayList<>(sim.corps.keySet())));
        r.delete("/__sim/corps/{corpId}", ctx -> {
            corp(ctx);
            sim.corps.remove(ctx.pathParam("corpId"));
            // its tokens die with it: a corp created again under the same id must not accept them
            sim.tokens.invalidate(ctx.pathParam("corpId"));
            reply(ctx, 200, Map.of("deleted", ctx.pathParam("corpId")));
        });
        r.patch("/__sim/corps/{corpId}", ctx -> {
            SimCorp corp = corp(ctx);
            Map<String, Object> body = body(ctx);
            for (String field : body.keySet()) {
                if (!field.equals("secret")) {
                    throw new ControlException(400, "unknown field '" + field + "': only the secret can be changed");
                }
            }
            // as a reset in WeCom's admin console: the old secret stops working, tokens already issued live on
            corp.secret = requiredText(body, "secret");
            reply(ctx, 200, Map.of("corpId", corp.corpId));
        });
        r.get("/__sim/corps/{corpId}/export", ctx -> reply(ctx, 200, export(corp(ctx))));
        r.post("/__sim/corps/{corpId}/members", ctx -> {
            SimCorp corp = corp(ctx);
            Map<String, Object> body = body(ctx);
            SimMember member = member(null, body);
            corp.change(org -> {
                if (org.member(member.userid()) != null) {
                    throw new ControlException(409, "member " + member.userid() + " already exists");
                }
                List<SimMember> members = new ArrayList<>(org.members());
                members.add(member);
                return new Org(org.departments(), members);
            });
            reply(ctx, 201, exportMember(member));
        });
        r.patch("/__sim/corps/{corpId}/members/{userid}", ctx -> {
            SimCorp corp = corp(ctx);
            Map<String, Object> body = body(ctx);
            String userid = ctx.pathParam("userid");
            SimMember[] changed = new SimMember[1];
            corp.change(org -> {
                SimMember current = org.member(userid);
                if (current == null) {
                    throw new ControlException(404, "no member " + userid);
                }
                changed[0] = member(current, body);
                return SimCorp.replaceMember(org, userid, changed[0]);
            });
            reply(ctx, 200, exportMember(changed[0]));
        });
        r.delete("/__sim/corps/{corpId}/members/{userid}", ctx -> {
            SimCorp corp = corp(ctx);
            String userid = ctx.pathParam("userid");
            corp.change(org -> {
                if (org.member(userid) == null) {
                    throw new ControlException(404, "no member " + userid);
                }
                return SimCorp.replaceMember(org, userid, null);
            });
            reply(ctx, 200, Map.of("deleted", userid));
        });
        r.post("/__sim/corps/{corpId}/departments", ctx -> {
            SimCorp corp = corp(ctx);
            Map<String, Object> body = body(ctx);
            SimDepartment[] made = new SimDepartment[1];
            corp.change(org -> {
                int id = body.get("id") == null ? org.departments().stream().mapToInt(SimDepartment::id).max().orElse(1) + 1 : whole(body, "id");
                if (org.department(id) != null) {
                    throw new ControlException(409, "department " + id + " already exists");
                }
                String name = requiredText(body, "name");
                made[0] = new SimDepartment(id, name, text(body, "name_en", ""), body.get("parentid") == null ? 1 : whole(body, "parentid"),
                        body.get("order") == null ? 0 : whole(body, "order"), List.of());
                List<SimDepartment> departments = new ArrayList<>(org.departments());
                departments.add(made[0]);
                return new Org(departments, org.members());
            });
            reply(ctx, 201, exportDepartment(made[0]));
        });
        r.patch("/__sim/corps/{corpId}/departments/{id}", ctx -> {
            SimCorp corp = corp(ctx);
            Map<String, Object> body = body(ctx);
            int id = departmentId(ctx);
            SimDepartment[] changed = new SimDepartment[1];
            corp.change(org -> {
                SimDepartment d = org.department(id);
                if (d == null) {
                    throw new ControlException(404, "no department " + id);
                }
                if (body.containsKey("name")) {
                    d = d.withName(requiredText(body, "name"));
                }
                if (body.containsKey("parentid")) {
                    if (id == 1) {
                        throw new ControlException(400, "the root department cannot move");
                    }
                    int parent = whole(body, "parentid");
                    if (org.subtree(id).stream().anyMatch(s -> s.id() == parent)) {
                        throw new ControlException(400, "a department cannot move below itself");
                    }
                    d = d.withParent(parent);
                }
                changed[0] = d;
                List<SimDepartment> departments = new ArrayList<>();
                for (SimDepartment other : org.departments()) {
                    departments.add(other.id() == id ? changed[0] : other);
                }
                return new Org(departments, org.members());
            });
            reply(ctx, 200, exportDepartment(changed[0]));
        });
        r.delete("/__sim/corps/{corpId}/departments/{id}", ctx -> {
            SimCorp corp = corp(ctx);
            int id = departmentId(ctx);
            corp.change(org -> removeDepartment(org, id));
            reply(ctx, 200, Map.of("deleted", id));
        });
        r.post("/__sim/apps", ctx -> reply(ctx, 201, createApp(body(ctx))));
        r.post("/__sim/tokens/invalidate", ctx -> {
            Map<String, Object> body = body(ctx);
            String subject = body.get("corpId") != null ? body.get("corpId").toString()
                    : body.get("appId") != null ? body.get("appId").toString() : null;
            if (subject == null) {
                throw new ControlException(400, "give corpId or appId");
            }
            if (!sim.corps.containsKey(subject) && !sim.apps.containsKey(subject)) {
                throw new ControlException(404, "no enterprise or app " + subject);
            }
            reply(ctx, 200, Map.of("invalidated", sim.tokens.invalidate(subject)));
        });
        r.get("/__sim/limits", ctx -> reply(ctx, 200, sim.limits.toMap()));
        r.put("/__sim/limits", ctx -> {
            sim.limits.apply(body(ctx));
            reply(ctx, 200, sim.limits.toMap());
        });
        r.delete("/__sim/limits", ctx -> {
            sim.limits.reset();
            reply(ctx, 200, sim.limits.toMap());
        });
        r.post("/__sim/faults", ctx -> reply(ctx, 201, sim.faults.add(body(ctx)).toMap()));
        r.get("/__sim/faults", ctx -> reply(ctx, 200, sim.faults.list()));
        r.delete("/__sim/faults", ctx -> {
            sim.faults.clear();
            reply(ctx, 200, Map.of("faults", 0));
        });
        r.get("/__sim/stats", ctx -> reply(ctx, 200, sim.stats.snapshot(sim.tokens)));
        r.post("/__sim/stats/reset", ctx -> {
            sim.resetStats();
            reply(ctx, 200, sim.stats.snapshot(sim.tokens));
        });
        r.get("/__sim/webhook/{key}/messages", ctx -> reply(ctx, 200, sim.webhooks.of(ctx.pathParam("key"))));
        r.get("/__sim/clock", ctx -> reply(ctx, 200, clock()));
        r.post("/__sim/clock", ctx -> {
            Map<String, Object> body = body(ctx);
            sim.clock.advance(whole(body, "advanceSeconds"));
            reply(ctx, 200, clock());
        });
        r.post("/__sim/reset", ctx -> {
            sim.resetAll();
            reply(ctx, 200, Map.of("reset", true));
        });
    }

    private Map<String, Object> clock() {
        return Map.of("now", sim.clock.now().toString(), "offsetSeconds", sim.clock.offsetMillis() / 1000);
    }

    private Map<String, Object> createCorp(Map<String, Object> body) {
        String corpId = requiredText(body, "corpId");
        String secret = requiredText(body, "secret");
        if (!ID.matcher(corpId).matches()) {
            throw new ControlException(400, "corpId may have up to 64 letters, digits or _ . @ -");
        }
        int departments = body.get("departments") == null ? 10 : whole(body, "departments");
        int members = body.get("members") == null ? 100 : whole(body, "members");
        long seed = body.get("seed") == null ? corpId.hashCode() : ((Number) number(body, "seed")).longValue();
        boolean mobileVisible = !Boolean.FALSE.equals(body.get("mobileVisible"));
        int memberLimit = body.get("memberLimit") == null ? Math.max(members, 10) : whole(body, "memberLimit");
        String contactSecret = body.get("contactSecret") == null ? null : requiredText(body, "contactSecret");
        String name = body.get("name") == null ? "模拟企业 " + corpId : requiredText(body, "name");
        Org org = OrgGenerator.generate(name, seed, departments, members);
        SimCorp corp = new SimCorp(corpId, secret, contactSecret, mobileVisible, memberLimit, org);
        if (sim.corps.putIfAbsent(corpId, corp) != null) {
            throw new ControlException(409, "enterprise " + corpId + " already exists");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("corpId", corpId);
        out.put("departments", org.departments().size());
        out.put("members", org.memberCount());
        out.put("mobileVisible", mobileVisible);
        out.put("memberLimit", memberLimit);
        return out;
    }

    private Map<String, Object> createApp(Map<String, Object> body) {
        String appId = requiredText(body, "appId");
        String secret = requiredText(body, "secret");
        if (!ID.matcher(appId).matches()) {
            throw new ControlException(400, "appId may have up to 64 letters, digits or _ . @ -");
        }
        List<String> pages = new ArrayList<>();
        if (body.get("pages") instanceof List<?> list) {
            list.forEach(p -> pages.add(p.toString()));
        } else {
            pages.add(SimApp.HOME_PAGE);
        }
        SimApp app = new SimApp(appId, secret, pages);
        if (sim.apps.putIfAbsent(appId, app) != null) {
            throw new ControlException(409, "app " + appId + " already exists");
        }
        return Map.of("appId", appId, "pages", pages);
    }

    private static Org removeDepartment(Org org, int id) {
        if (org.department(id) == null) {
            throw new ControlException(404, "no department " + id);
        }
        if (id == 1) {
            throw new ControlException(400, "the root department cannot be deleted");
        }
        if (org.hasChildren(id)) {
            throw new ControlException(409, "department " + id + " has sub-departments; delete or move them first");
        }
        int parent = org.department(id).parentId();
        List<SimDepartment> departments = new ArrayList<>(org.departments());
        departments.removeIf(d -> d.id() == id);
        List<SimMember> members = new ArrayList<>();
        for (SimMember m : org.members()) {
            if (!m.inDepartment(id)) {
                members.add(m);
                continue;
            }
            // members only in the deleted department move up to its parent, as WeCom requires
            List<Integer> depts = new ArrayList<>();
            List<Integer> orders = new ArrayList<>();
            List<Integer> leader = new ArrayList<>();
            for (int i = 0; i < m.departments().size(); i++) {
                if (m.departments().get(i) != id) {
                    depts.add(m.departments().get(i));
                    orders.add(m.orders().get(i));
                    leader.add(m.leaderIn().get(i));
                }
            }
            if (depts.isEmpty()) {
                depts.add(parent);
                orders.add(0);
                leader.add(0);
            }
            members.add(new SimMember(m.userid(), m.name(), depts, orders, leader, m.position(), m.mobile(), m.gender(),
                    m.email(), m.bizMail(), m.avatar(), m.telephone(), m.alias(), m.status(), m.mainDepartment(),
                    m.address(), m.outsideAppRange()));
        }
        return new Org(departments, members);
    }

    /** A member from a JSON body, over {@code base} for a PATCH (null for a new member). */
    @SuppressWarnings("unchecked")
    private static SimMember member(SimMember base, Map<String, Object> body) {
        for (String key : body.keySet()) {
            if (!MEMBER_FIELDS.contains(key)) {
                throw new ControlException(400, "unknown member field '" + key + "'; known: " + MEMBER_FIELDS);
            }
        }
        String userid = base != null ? base.userid() : requiredText(body, "userid");
        if (base == null && !ID.matcher(userid).matches()) {
            throw new ControlException(400, "userid may have up to 64 letters, digits or _ . @ -");
        }
        List<Integer> depts = body.containsKey("department") ? ints(body, "department")
                : base != null ? base.departments() : List.of(1);
        List<Integer> orders = body.containsKey("order") ? ints(body, "order")
                : base != null && !body.containsKey("department") ? base.orders() : zeros(depts.size());
        List<Integer> leader = body.containsKey("is_leader_in_dept") ? ints(body, "is_leader_in_dept")
                : base != null && !body.containsKey("department") ? base.leaderIn() : zeros(depts.size());
        int status = body.containsKey("status") ? whole(body, "status") : base != null ? base.status() : 1;
        int main = body.containsKey("main_department") ? whole(body, "main_department")
                : base != null ? base.mainDepartment() : depts.get(0);
        try {
            return new SimMember(userid,
                    pick(body, "name", base == null ? userid : base.name()),
                    depts, orders, leader,
                    pick(body, "position", base == null ? "" : base.position()),
                    pick(body, "mobile", base == null ? "" : base.mobile()),
                    pick(body, "gender", base == null ? "1" : base.gender()),
                    pick(body, "email", base == null ? "" : base.email()),
                    pick(body, "biz_mail", base == null ? "" : base.bizMail()),
                    pick(body, "avatar", base == null ? "" : base.avatar()),
                    pick(body, "telephone", base == null ? "" : base.telephone()),
                    pick(body, "alias", base == null ? "" : base.alias()),
                    status, main,
                    pick(body, "address", base == null ? "" : base.address()),
                    body.containsKey("outsideAppRange") ? Boolean.TRUE.equals(body.get("outsideAppRange"))
                            : base != null && base.outsideAppRange());
        } catch (IllegalArgumentException e) {
            throw new ControlException(400, e.getMessage());
        }
    }

    static Map<String, Object> export(SimCorp corp) {
        Org org = corp.org();
        List<Map<String, Object>> departments = new ArrayList<>();
        org.departments().forEach(d -> departments.add(exportDepartment(d)));
        List<Map<String, Object>> members = new ArrayList<>();
        org.members().forEach(m -> members.add(exportMember(m)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("corpId", corp.corpId);
        out.put("mobileVisible", corp.mobileVisible);
        out.put("departments", departments);
        out.put("members", members);
        return out;
    }

    private static Map<String, Object> exportDepartment(SimDepartment d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("name_en", d.nameEn());
        m.put("parentid", d.parentId());
        m.put("order", d.order());
        return m;
    }

    private static Map<String, Object> exportMember(SimMember m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userid", m.userid());
        out.put("name", m.name());
        out.put("mobile", m.mobile());
        out.put("department", m.departments());
        out.put("order", m.orders());
        out.put("is_leader_in_dept", m.leaderIn());
        out.put("main_department", m.mainDepartment());
        out.put("status", m.status());
        out.put("position", m.position());
        out.put("email", m.email());
        out.put("gender", m.gender());
        out.put("telephone", m.telephone());
        out.put("alias", m.alias());
        out.put("outsideAppRange", m.outsideAppRange());
        return out;
    }

    private SimCorp corp(Context ctx) {
        SimCorp corp = sim.corps.get(ctx.pathParam("corpId"));
        if (corp == null) {
            throw new ControlException(404, "no enterprise " + ctx.pathParam("corpId") + "; create it with POST /__sim/corps");
        }
        return corp;
    }

    private static int departmentId(Context ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ControlException(400, "department id must be a number");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> body(Context ctx) {
        try {
            Object parsed = mapper.readValue(ctx.bodyAsBytes(), Object.class);
            if (parsed instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (Exception ignored) {
            // answered below
        }
        throw new ControlException(400, "the body must be a JSON object");
    }

    private static String requiredText(Map<String, Object> body, String name) {
        Object v = body.get(name);
        if (v == null || v.toString().isBlank()) {
            throw new ControlException(400, name + " is required");
        }
        return v.toString();
    }

    private static String text(Map<String, Object> body, String name, String fallback) {
        Object v = body.get(name);
        return v == null ? fallback : v.toString();
    }

    private static String pick(Map<String, Object> body, String name, String fallback) {
        return body.containsKey(name) ? text(body, name, "") : fallback;
    }

    private static Object number(Map<String, Object> body, String name) {
        Object v = body.get(name);
        if (!(v instanceof Number)) {
            throw new ControlException(400, name + " must be a number");
        }
        return v;
    }

    private static int whole(Map<String, Object> body, String name) {
        Object v = number(body, name);
        double d = ((Number) v).doubleValue();
        if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
            throw new ControlException(400, name + " must be a whole number of 0 or more");
        }
        return (int) d;
    }

    private static List<Integer> ints(Map<String, Object> body, String name) {
        if (!(body.get(name) instanceof List<?> list)) {
            throw new ControlException(400, name + " must be a list of numbers");
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Number n)) {
                throw new ControlException(400, name + " must be a list of numbers");
            }
            out.add(n.intValue());
        }
        return out;
    }

    private static List<Integer> zeros(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(0);
        }
        return out;
    }

    private void reply(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(mapper.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
