package io.orgsync.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Every column of every {@code department}, {@code member} and {@code member_department} row of
 * one enterprise, sorted: two dumps are equal only when not a single stored value changed
 * (updated_at and mobile_source included). For "a failed run changes nothing".
 */
public record OrgDump(List<String> departments, List<String> members, List<String> memberships) {

    public static OrgDump of(DataSource ds, String corpId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return new OrgDump(
                    rows(c, "SELECT * FROM department WHERE corp_id = ? ORDER BY id", corpId),
                    rows(c, "SELECT * FROM member WHERE corp_id = ? ORDER BY userid", corpId),
                    rows(
                            c,
                            "SELECT * FROM member_department WHERE corp_id = ? ORDER BY userid, department_id",
                            corpId));
        }
    }

    public int size() {
        return departments.size() + members.size() + memberships.size();
    }

    private static List<String> rows(Connection c, String sql, String corpId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, corpId);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.append(i == 1 ? "" : "|")
                                .append(meta.getColumnLabel(i).toLowerCase())
                                .append('=')
                                .append(rs.getString(i));
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }
}
