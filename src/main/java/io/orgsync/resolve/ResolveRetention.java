package io.orgsync.resolve;

import io.orgsync.store.Sql;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Pruning of the resolve guards' rows: "not found" memories and daily budget rows long past. */
public final class ResolveRetention {
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final int BATCH = 1000;
    private final DataSource ds;

    public ResolveRetention(DataSource ds) {
        this.ds = ds;
    }

    /** Deletes "not found" memories that expired before {@code cutoff} (epoch ms); returns how many. */
    public int pruneMissesExpiredBefore(long cutoff) throws SQLException {
        return inBatches("DELETE FROM resolve_miss WHERE expires_at < ? LIMIT " + BATCH, cutoff);
    }

    /** Deletes budget rows of the days (China time, as they are counted) before the one of {@code cutoff}. */
    public int pruneBudgetsBefore(long cutoff) throws SQLException {
        return inBatches("DELETE FROM resolve_budget WHERE day_key < ? LIMIT " + BATCH,
                LocalDate.ofInstant(Instant.ofEpochMilli(cutoff), CHINA).toString());
    }

    /** Short transactions on a big table: a batch at a time until one comes back short. */
    private int inBatches(String delete, Object arg) throws SQLException {
        int total = 0;
        int n;
        do {
            n = Sql.withConnection(ds, c -> Sql.update(c, delete, arg));
            total += n;
        } while (n == BATCH);
        return total;
    }
}
