package io.orgsync.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The few JDBC shapes every table class needs, so that each of them stays plain SQL. */
public final class Sql {
    private Sql() {}

    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public interface Statements {
        void run(Connection c) throws SQLException;
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    /** The first row, mapped; empty when there is none. {@code mapper} must not answer null (map a nullable column to a non-null value). */
    public static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... args)
            throws SQLException {
        List<T> rows = query(c, sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public static <T> T inTransaction(javax.sql.DataSource ds, Work<T> work) throws SQLException {
        return inTransaction(ds, null, work);
    }

    /** As {@link #inTransaction(javax.sql.DataSource, Work)}, at {@code isolation} when it is not null. */
    static <T> T inTransaction(javax.sql.DataSource ds, Integer isolation, Work<T> work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            if (isolation != null) {
                // before the transaction begins: a driver may refuse, or commit, a change inside one
                c.setTransactionIsolation(isolation);
            }
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode. */
    public static <T> T withConnection(javax.sql.DataSource ds, Work<T> work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        }
    }

    /** Runs {@code work}, which returns nothing, on a connection in auto-commit mode. */
    public static void run(javax.sql.DataSource ds, Statements work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            work.run(c);
        }
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
