package io.orgsync.simulator;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** {@code /__sim/corps/{corpId}/members}: members added, changed and removed, as in WeCom's admin console. */
final class MembersControl {
    /**
     * A member's fields under the names user/get answers with. For a new member, what is left out
     * gets the defaults; for a change, it stays, except that new departments reset the orders and
     * leader flags that are not given with them.
     */
    record MemberFields(
            String userid,
            String name,
            String mobile,
            List<Integer> department,
            List<Integer> order,
            @JsonProperty("is_leader_in_dept") List<Integer> leaderIn,
            @JsonProperty("direct_leader") List<String> directLeader,
            String position,
            String gender,
            String email,
            @JsonProperty("biz_mail") String bizMail,
            String avatar,
            String telephone,
            String alias,
            Integer status,
            @JsonProperty("main_department") Integer mainDepartment,
            String address,
            Boolean outsideAppRange) {
        MemberFields {
            Fields.zeroOrMore("status", status, null);
            Fields.zeroOrMore("main_department", mainDepartment, null);
        }

        static String unknown(String field) {
            return "unknown member field '" + field + "'; known: " + ControlJson.fieldNames(MemberFields.class);
        }

        SimMember newMember() {
            String id = Fields.id("userid", Fields.required("userid", userid));
            List<Integer> depts = requireNonNullElse(department, List.of(1));
            SimMember blank = new SimMember(
                    id,
                    id,
                    depts,
                    zeros(depts.size()),
                    zeros(depts.size()),
                    List.of(),
                    "",
                    "",
                    "1",
                    "",
                    "",
                    "",
                    "",
                    "",
                    1,
                    depts.isEmpty() ? 1 : depts.get(0),
                    "",
                    false);
            return over(blank);
        }

        SimMember over(SimMember base) {
            List<Integer> depts = requireNonNullElse(department, base.departments());
            boolean moved = department != null;
            return new SimMember(
                    base.userid(),
                    requireNonNullElse(name, base.name()),
                    depts,
                    order != null ? order : moved ? zeros(depts.size()) : base.orders(),
                    leaderIn != null ? leaderIn : moved ? zeros(depts.size()) : base.leaderIn(),
                    requireNonNullElse(directLeader, base.directLeader()),
                    requireNonNullElse(position, base.position()),
                    requireNonNullElse(mobile, base.mobile()),
                    requireNonNullElse(gender, base.gender()),
                    requireNonNullElse(email, base.email()),
                    requireNonNullElse(bizMail, base.bizMail()),
                    requireNonNullElse(avatar, base.avatar()),
                    requireNonNullElse(telephone, base.telephone()),
                    requireNonNullElse(alias, base.alias()),
                    requireNonNullElse(status, base.status()),
                    requireNonNullElse(mainDepartment, base.mainDepartment()),
                    requireNonNullElse(address, base.address()),
                    requireNonNullElse(outsideAppRange, base.outsideAppRange()));
        }

        private static List<Integer> zeros(int n) {
            return Collections.nCopies(n, 0);
        }
    }

    private final Simulator sim;

    MembersControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.post("/__sim/corps/{corpId}/members", this::create);
        r.patch("/__sim/corps/{corpId}/members/{userid}", this::change);
        r.delete("/__sim/corps/{corpId}/members/{userid}", this::delete);
    }

    private void create(Context ctx) {
        SimCorp corp = CorpsControl.existing(sim, ctx);
        SimMember member =
                ControlJson.read(ctx, MemberFields.class, MemberFields::unknown).newMember();
        corp.change(org -> {
            if (org.member(member.userid()) != null) {
                throw ControlException.conflict("member " + member.userid() + " already exists");
            }
            return org.withMember(member);
        });
        ControlJson.reply(ctx, 201, OrgExport.member(member));
    }

    private void change(Context ctx) {
        SimCorp corp = CorpsControl.existing(sim, ctx);
        MemberFields fields = ControlJson.read(ctx, MemberFields.class, MemberFields::unknown);
        String userid = ctx.pathParam("userid");
        Org changed = corp.change(org -> org.withMember(fields.over(current(org, userid))));
        ControlJson.reply(ctx, 200, OrgExport.member(changed.member(userid)));
    }

    private void delete(Context ctx) {
        SimCorp corp = CorpsControl.existing(sim, ctx);
        String userid = ctx.pathParam("userid");
        corp.change(org -> org.withoutMember(current(org, userid).userid()));
        ControlJson.reply(ctx, 200, Map.of("deleted", userid));
    }

    private static SimMember current(Org org, String userid) {
        SimMember member = org.member(userid);
        if (member == null) {
            throw ControlException.notFound("no member " + userid);
        }
        return member;
    }
}
