package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /__sim/corps}: simulated enterprises made from a seed, their secret reset, their export. */
final class CorpsControl {
    /** {@code POST /__sim/corps}; what is left out gets the defaults below. */
    record NewCorp(
            String corpId,
            String secret,
            Integer departments,
            Integer members,
            Long seed,
            Boolean mobileVisible,
            Integer memberLimit,
            String contactSecret,
            String name,
            Boolean newIp,
            AppRange appRange) {
        NewCorp {
            Fields.required("corpId", corpId);
            Fields.required("secret", secret);
            Fields.id("corpId", corpId);
            departments = Fields.zeroOrMore("departments", departments, 10);
            members = Fields.zeroOrMore("members", members, 100);
            seed = seed == null ? corpId.hashCode() : seed;
            memberLimit = Fields.zeroOrMore("memberLimit", memberLimit, Math.max(members, 10));
            name = name == null ? "模拟企业 " + corpId : Fields.required("name", name);
        }

        /** The set-up it asks for; refused when it contradicts itself. */
        CorpSetup setup() {
            return new CorpSetup(contactSecret, newIp, mobileVisible, appRange);
        }
    }

    /** {@code PATCH /__sim/corps/{corpId}}: only the secret can change. */
    record SecretChange(String secret) {
        SecretChange {
            Fields.required("secret", secret);
        }
    }

    private final Simulator sim;

    CorpsControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.post("/__sim/corps", this::create);
        r.get("/__sim/corps", ctx -> ControlJson.reply(ctx, 200, new ArrayList<>(sim.corps.keySet())));
        r.patch("/__sim/corps/{corpId}", this::changeSecret);
        r.delete("/__sim/corps/{corpId}", this::delete);
        r.get("/__sim/corps/{corpId}/export", ctx -> ControlJson.reply(ctx, 200, OrgExport.of(existing(sim, ctx))));
    }

    /** The enterprise the path names; refused 404 when there is none. */
    static SimCorp existing(Simulator sim, Context ctx) {
        SimCorp corp = sim.corps.get(ctx.pathParam("corpId"));
        if (corp == null) {
            throw ControlException.notFound(
                    "no enterprise " + ctx.pathParam("corpId") + "; create it with POST /__sim/corps");
        }
        return corp;
    }

    private void create(Context ctx) {
        NewCorp body = ControlJson.read(ctx, NewCorp.class);
        CorpSetup setup = body.setup();
        Org org = OrgGenerator.generate(body.name(), body.seed(), body.departments(), body.members());
        setup.appRange().checkAgainst(org);
        SimCorp corp = new SimCorp(body.corpId(), body.secret(), setup, body.memberLimit(), org);
        if (sim.corps.putIfAbsent(corp.corpId, corp) != null) {
            throw ControlException.conflict("enterprise " + corp.corpId + " already exists");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("corpId", corp.corpId);
        out.put("departments", org.departments().size());
        out.put("members", org.memberCount());
        out.put("mobileVisible", setup.mobileVisible());
        out.put("memberLimit", corp.memberLimit);
        // mobileVisible keeps its place above: a LinkedHashMap keeps a key's first position
        out.putAll(OrgExport.setup(setup));
        ControlJson.reply(ctx, 201, out);
    }

    private void changeSecret(Context ctx) {
        SimCorp corp = existing(sim, ctx);
        SecretChange body = ControlJson.read(
                ctx, SecretChange.class, field -> "unknown field '" + field + "': only the secret can be changed");
        // as a reset in WeCom's admin console: the old secret stops working, tokens already issued live on
        corp.secret = body.secret();
        ControlJson.reply(ctx, 200, Map.of("corpId", corp.corpId));
    }

    private void delete(Context ctx) {
        SimCorp corp = existing(sim, ctx);
        sim.corps.remove(corp.corpId);
        // its tokens die with it: a corp created again under the same id must not accept them
        sim.tokens.invalidate(corp.corpId);
        ControlJson.reply(ctx, 200, Map.of("deleted", corp.corpId));
    }
}
