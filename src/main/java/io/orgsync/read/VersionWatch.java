package io.orgsync.read;

import io.orgsync.logging.Failures;
import io.orgsync.store.Sql;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every enterprise's org version every {@code ORGSYNC_CACHE_STALENESS_MS} and hands them
 * to the {@link ReadCache}, which stops serving what changed. One small SELECT per poll, so that
 * read-only nodes with a SELECT-only account invalidate exactly as writing nodes do.
 */
public final class VersionWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VersionWatch.class);
    private final DataSource ds;
    private final ReadCache cache;
    private final Duration interval;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "version-watch");
        t.setDaemon(true);
        return t;
    });
    private boolean failing;

    public VersionWatch(DataSource ds, ReadCache cache, Duration interval) {
        this.ds = ds;
        this.cache = cache;
        this.interval = interval;
    }

    /** Polls once before returning (so that the node knows its enterprises before it serves), then every interval. */
    public VersionWatch start() {
        tick();
        long every = interval.toMillis();
        ticker.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            long started = System.nanoTime();
            Map<String, Long> versions = Sql.withConnection(ds, OrgVersions::all);
            cache.polled(versions, started);
            if (failing) {
                failing = false;
                log.info("Org versions readable again: read answers are cached again");
            }
            cache.sweep();
        } catch (Exception e) {
            if (!failing) {
                failing = true;
                // the cache bypasses itself once the versions are too old; reads go to the database meanwhile
                log.warn(
                        "Cannot read the org versions ({}): read answers come from the database until they can be read",
                        Failures.describe(e));
            }
        } catch (Throwable t) {
            log.error("Version watch failed: {}", t.toString());
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
