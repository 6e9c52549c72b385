package io.orgsync.member;

import io.orgsync.store.Dialect;
import io.orgsync.store.Sql;
import io.orgsync.store.Upsert;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The SQL of {@code department_written}: departments a callback event wrote while a run was the
 * enterprise's current one, which that run's apply leaves as the event left them, as it leaves
 * the members an event or a resolve wrote ({@link MemberReads#resolvedSince}). A deletion leaves
 * no department row to mark, hence a table of its own.
 */
public final class DepartmentGuards {
    private static final Upsert WRITTEN =
            Upsert.into("department_written", "corp_id", "department_id").replace("run_id");

    private DepartmentGuards() {}

    /** Records that an event created, changed or deleted the department while {@code runId} was current. */
    public static void markWritten(Connection c, String corpId, long departmentId, long runId) throws SQLException {
        Dialect.of(c).upsert(c, WRITTEN, corpId, departmentId, runId);
    }

    /** The departments events wrote while {@code runId}, or a later run, was the enterprise's current one. */
    public static Set<Long> writtenSince(Connection c, String corpId, long runId) throws SQLException {
        return new HashSet<>(Sql.query(
                c,
                "SELECT department_id FROM department_written WHERE corp_id = ? AND run_id >= ?",
                rs -> rs.getLong(1),
                corpId,
                runId));
    }

    /** Forgets the marks of {@code runId} and earlier runs: every later run fetches after those writes. */
    public static void forgetUpTo(Connection c, String corpId, long runId) throws SQLException {
        Sql.update(c, "DELETE FROM department_written WHERE corp_id = ? AND run_id <= ?", corpId, runId);
    }
}
