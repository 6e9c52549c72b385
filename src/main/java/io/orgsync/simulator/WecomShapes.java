package io.orgsync.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Departments and members as WeCom's answers show them (docs/upstream.md). */
final class WecomShapes {
    private WecomShapes() {}

    /** As department/list and department/get show it; {@code leaders}: the org's for it. */
    static Map<String, Object> department(SimDepartment d, List<String> leaders) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("name_en", d.nameEn());
        m.put("department_leader", leaders);
        m.put("parentid", d.parentId());
        m.put("order", d.order());
        return m;
    }

    /** As department/simplelist shows it. */
    static Map<String, Object> simpleDepartment(SimDepartment d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("parentid", d.parentId());
        m.put("order", d.order());
        return m;
    }

    /** As user/simplelist shows it. */
    static Map<String, Object> simpleMember(SimMember m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userid", m.userid());
        out.put("name", m.name());
        out.put("department", m.departments());
        out.put("open_userid", "wo" + Integer.toHexString(m.userid().hashCode()));
        return out;
    }

    /**
     * A member as user/list and user/get show it; apps created after 2022-06-20 get the private
     * fields (mobile, gender, e-mails, avatar, personal QR code, address) blank, gender "0".
     */
    static Map<String, Object> member(SimMember m, boolean visible) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userid", m.userid());
        out.put("name", m.name());
        out.put("department", m.departments());
        out.put("order", m.orders());
        out.put("position", m.position());
        out.put("mobile", visible ? m.mobile() : "");
        out.put("gender", visible ? m.gender() : "0");
        out.put("email", visible ? m.email() : "");
        out.put("biz_mail", visible ? m.bizMail() : "");
        out.put("is_leader_in_dept", m.leaderIn());
        out.put("direct_leader", m.directLeader());
        out.put("avatar", visible ? m.avatar() : "");
        out.put("thumb_avatar", visible ? m.avatar() : "");
        out.put("telephone", m.telephone());
        out.put("alias", m.alias());
        out.put("address", visible ? m.address() : "");
        out.put("open_userid", "wo" + Integer.toHexString(m.userid().hashCode()));
        out.put("main_department", m.mainDepartment());
        out.put("extattr", Map.of("attrs", List.of()));
        out.put("status", m.status());
        out.put(
                "qr_code",
                visible
                        ? "https://open.work.weixin.qq.com/wwopen/userQRCode?vcode="
                                + Integer.toHexString(m.userid().hashCode())
                        : "");
        out.put("external_position", "");
        return out;
    }
}
