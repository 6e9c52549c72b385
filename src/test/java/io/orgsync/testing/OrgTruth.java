package io.orgsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.member.Mobile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * An organisation reduced to what a sync must get right: departments (id, name, parent) and
 * current members (userid, name, status, stored mobile, departments, and the fields of
 * docs/http-api.md's member: e-mail, position, alias, telephone, direct leaders, the departments
 * the member leads). Built from the simulator's export (the truth) or from the database (what
 * orgsync stored), and compared with {@link #diff}. A field that is not known or empty is null.
 */
public final class OrgTruth {
    public record Department(long id, String name, long parentId) {}

    public record Person(
            String userid,
            String name,
            Integer status,
            String mobile,
            Set<Long> departments,
            String email,
            String position,
            String alias,
            String telephone,
            List<String> directLeader,
            Set<Long> leaderIn) {}

    public final Map<Long, Department> departments;
    public final Map<String, Person> members;

    private OrgTruth(Map<Long, Department> departments, Map<String, Person> members) {
        this.departments = departments;
        this.members = members;
    }

    /** A department's path as the API shows it: the names from the root down, joined by '/'. */
    public static String path(JsonNode export, long id) {
        Map<Long, JsonNode> byId = new HashMap<>();
        export.path("departments").forEach(d -> byId.put(d.path("id").asLong(), d));
        List<String> names = new ArrayList<>();
        for (JsonNode d = byId.get(id);
                d != null && names.size() <= byId.size();
                d = byId.get(d.path("parentid").asLong())) {
            names.add(0, d.path("name").asText());
        }
        return String.join("/", names);
    }

    /**
     * The export as orgsync should store it: members the app cannot see (outside its range) left
     * out; mobiles normalised when the app sees them, else null unless {@code learned} has one.
     */
    public static OrgTruth fromExport(JsonNode export, Map<String, String> learned) {
        boolean visible = export.path("mobileVisible").asBoolean(true);
        Map<Long, Department> departments = new TreeMap<>();
        for (JsonNode d : export.path("departments")) {
            departments.put(
                    d.path("id").asLong(),
                    new Department(
                            d.path("id").asLong(),
                            d.path("name").asText(),
                            d.path("parentid").asLong()));
        }
        Map<String, Person> members = new TreeMap<>();
        for (JsonNode m : export.path("members")) {
            if (m.path("outsideAppRange").asBoolean(false)) {
                continue;
            }
            String userid = m.path("userid").asText();
            Set<Long> depts = new TreeSet<>();
            m.path("department").forEach(d -> depts.add(d.asLong()));
            String mobile =
                    visible ? Mobile.normalise(m.path("mobile").asText("")).orElse(null) : null;
            if (mobile == null) {
                mobile = learned.get(userid);
            }
            Set<Long> led = new TreeSet<>();
            for (int i = 0; i < m.path("department").size(); i++) {
                if (m.path("is_leader_in_dept").path(i).asInt() == 1) {
                    led.add(m.path("department").path(i).asLong());
                }
            }
            List<String> leaders = new ArrayList<>();
            m.path("direct_leader").forEach(l -> leaders.add(l.asText()));
            members.put(
                    userid,
                    new Person(
                            userid,
                            m.path("name").asText(),
                            m.path("status").asInt(),
                            mobile,
                            depts,
                            visible ? known(m.path("email").asText("")) : null,
                            known(m.path("position").asText("")),
                            known(m.path("alias").asText("")),
                            known(m.path("telephone").asText("")),
                            leaders,
                            led));
        }
        return new OrgTruth(departments, members);
    }

    public static OrgTruth fromExport(JsonNode export) {
        return fromExport(export, Map.of());
    }

    /** What the database holds for the enterprise; departed members are left out. */
    public static OrgTruth fromDatabase(DataSource ds, String corpId) throws SQLException {
        Map<Long, Department> departments = new TreeMap<>();
        Map<String, Person> members = new TreeMap<>();
        try (Connection c = ds.getConnection()) {
            query(
                    c,
                    "SELECT id, name, parent_id FROM department WHERE corp_id = ?",
                    corpId,
                    rs -> departments.put(
                            rs.getLong(1), new Department(rs.getLong(1), rs.getString(2), rs.getLong(3))));
            Map<String, Set<Long>> memberships = new HashMap<>();
            Map<String, Set<Long>> leads = new HashMap<>();
            query(c, "SELECT userid, department_id, is_leader FROM member_department WHERE corp_id = ?", corpId, rs -> {
                memberships
                        .computeIfAbsent(rs.getString(1), k -> new TreeSet<>())
                        .add(rs.getLong(2));
                Set<Long> led = leads.computeIfAbsent(rs.getString(1), k -> new TreeSet<>());
                boolean leader = rs.getBoolean(3);
                if (rs.wasNull()) {
                    led.add(-1L); // a flag not known: never what the export says
                } else if (leader) {
                    led.add(rs.getLong(2));
                }
            });
            query(
                    c,
                    "SELECT userid, name, status, mobile, email, position, alias, telephone, direct_leader "
                            + "FROM member WHERE corp_id = ? AND departed = FALSE",
                    corpId,
                    rs -> {
                        String userid = rs.getString(1);
                        int status = rs.getInt(3);
                        Integer knownStatus = rs.wasNull() ? null : status;
                        String directLeader = rs.getString(9);
                        members.put(
                                userid,
                                new Person(
                                        userid,
                                        rs.getString(2),
                                        knownStatus,
                                        rs.getString(4),
                                        memberships.getOrDefault(userid, new TreeSet<>()),
                                        rs.getString(5),
                                        rs.getString(6),
                                        rs.getString(7),
                                        rs.getString(8),
                                        directLeader == null
                                                ? null
                                                : directLeader.isEmpty() ? List.of() : List.of(directLeader.split(",")),
                                        leads.getOrDefault(userid, new TreeSet<>())));
                    });
        }
        return new OrgTruth(departments, members);
    }

    private static String known(String text) {
        return text.isEmpty() ? null : text;
    }

    /** Userids of the enterprise's rows marked departed. */
    public static Set<String> departed(DataSource ds, String corpId) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Connection c = ds.getConnection()) {
            query(
                    c,
                    "SELECT userid FROM member WHERE corp_id = ? AND departed = TRUE",
                    corpId,
                    rs -> out.add(rs.getString(1)));
        }
        return out;
    }

    /** Human-readable differences, expected (this) against actual; empty when equal. */
    public List<String> diff(OrgTruth actual) {
        List<String> out = new ArrayList<>();
        for (Department d : departments.values()) {
            Department a = actual.departments.get(d.id());
            if (!d.equals(a)) {
                out.add("department " + d.id() + ": expected " + d + ", stored " + a);
            }
        }
        actual.departments.keySet().stream()
                .filter(id -> !departments.containsKey(id))
                .forEach(id -> out.add("department " + id + " stored but not upstream: " + actual.departments.get(id)));
        for (Person p : members.values()) {
            Person a = actual.members.get(p.userid());
            if (!p.equals(a)) {
                out.add("member " + p.userid() + ": expected " + p + ", stored " + a);
            }
        }
        actual.members.keySet().stream()
                .filter(id -> !members.containsKey(id))
                .forEach(id ->
                        out.add("member " + id + " stored as current but not upstream: " + actual.members.get(id)));
        return out;
    }

    /** The differences as one assertion message (the first 20 of them). */
    public static String describe(List<String> differences) {
        return differences.size() + " difference(s):\n  "
                + String.join("\n  ", differences.subList(0, Math.min(20, differences.size())));
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, String corpId, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, corpId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }
}
