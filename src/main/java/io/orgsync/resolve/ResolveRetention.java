package io.orgsync.resolve;

import io.orgsync.store.Dialect;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import javax.sql.DataSource;

/** Pruning of the resolve guards' rows: "not found" memories and daily budget rows long past. */
public final class ResolveRetention {
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final int BATCH = 1000;
    private final DataSource ds;
    private final Dialect dialect;

    public ResolveRetention(DataSource ds) {
        this.ds = ds;
        this.dialect = Dialect.of(ds);
    }

    /** Deletes "not found" memories that expired before {@code cutoff} (epoch ms); returns how many. */
    public int pruneMissesExpiredBefore(long cutoff) throws SQLException {
        return inBatches("resolve_miss", "expires_at < ?", cutoff);
    }

    /** Deletes budget rows of the days (China time, as they are counted) before the one of {@code cutoff}. */
    public int pruneBudgetsBefore(long cutoff) throws SQLException {
        return inBatches(
                "resolve_budget",
                "day_key < ?",
                LocalDate.ofInstant(Instant.ofEpochMilli(cutoff), CHINA).toString());
    }

    private int inBatches(String table, String where, Object arg) throws SQLException {
        return dialect.deleteInBatches(ds, table, where, BATCH, arg);
    }
}
