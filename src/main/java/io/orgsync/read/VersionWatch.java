package io.orgsync.read;

import io.orgsync.logging.Failures;
import io.orgsync.org.ChangeLog;
import io.orgsync.org.OrgVersions;
import io.orgsync.org.OrgWriter;
import io.orgsync.store.Sql;
import io.orgsync.time.Waiter;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code ORGSYNC_CACHE_STALENESS_MS} reads every enterprise's org version and last change
 * number, and the changes since the last poll from the change log, and hands them to the
 * {@link ChangeFollower}, which drops the cached answers they touched. Small SELECTs, so that
 * read-only nodes with a SELECT-only account follow exactly as writing nodes do.
 */
public final class VersionWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VersionWatch.class);
    private final DataSource ds;
    private final ChangeFollower follower;
    private final Duration interval;
    private final Waiter waiter;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean failing;

    public VersionWatch(DataSource ds, ReadCache cache, Duration interval, Waiter waiter) {
        this.ds = ds;
        ChangeLog changeLog = new ChangeLog(ds);
        this.follower = new ChangeFollower(cache, changeLog::after, waiter::nanoTime);
        this.interval = interval;
        this.waiter = waiter;
        this.thread = new Thread(this::loop, "version-watch");
        thread.setDaemon(true);
    }

    /** This node's own writes, told at their commit. */
    public OrgWriter.Listener listener() {
        return follower;
    }

    /** Polls once before returning (so that the node knows its enterprises before it serves), then every interval. */
    public VersionWatch start() {
        tick();
        thread.start();
        return this;
    }

    private void loop() {
        while (running) {
            try {
                waiter.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                tick();
            }
        }
    }

    private void tick() {
        try {
            long started = waiter.nanoTime();
            Map<String, OrgVersions.Version> versions = Sql.withConnection(ds, OrgVersions::all);
            follower.polled(versions, started);
            if (failing) {
                failing = false;
                log.info("Org versions readable again: read answers are cached again");
            }
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
        running = false;
        thread.interrupt();
    }
}
