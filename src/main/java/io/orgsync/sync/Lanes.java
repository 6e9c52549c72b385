package io.orgsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One run's calls, one per item, with up to {@code lanes} of them in flight (ORGSYNC_DEPT_CONCURRENCY).
 * Each lane takes the next item when its call has returned; the results come back in the items'
 * order, whatever order the calls returned in, so a run's outcome does not depend on timing.
 * One lane is the caller's own thread, strictly serial; more are threads of the run's own, and the
 * caller reports progress as they finish. The first failure stops the other lanes (interrupted: a
 * lane waiting for the pacer, a backoff or a block stops at once, one in a call when it returns)
 * and is thrown once they have stopped, so no call of the run outlives it.
 */
final class Lanes {
    private static final Logger log = LoggerFactory.getLogger(Lanes.class);
    /** A lane in a call stops when the call returns; the upstream client's time-out bounds that. */
    private static final long STOP_WAIT_SECONDS = 30;

    /** One lane's calls: {@link Supplier made} once per lane, then called for each item it takes. */
    interface Work<T, R> {
        R apply(T item) throws SyncFailure;
    }

    private Lanes() {}

    /**
     * @param done told, on the caller's thread, how many items are done each time one more is
     */
    static <T, R> List<R> run(List<T> items, int lanes, String threadName, Supplier<Work<T, R>> lane, IntConsumer done)
            throws SyncFailure {
        if (lanes <= 1 || items.size() <= 1) {
            Work<T, R> work = lane.get();
            List<R> results = new ArrayList<>(items.size());
            for (T item : items) {
                results.add(work.apply(item));
                done.accept(results.size());
            }
            return results;
        }
        int n = items.size();
        AtomicReferenceArray<R> results = new AtomicReferenceArray<>(n);
        AtomicInteger next = new AtomicInteger();
        BlockingQueue<Object> finished = new LinkedBlockingQueue<>();
        Map<String, String> context = MDC.getCopyOfContextMap();
        int threads = Math.min(lanes, n);
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName + "-" + names.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < threads; i++) {
                pool.execute(() -> {
                    if (context != null) {
                        MDC.setContextMap(context);
                    }
                    try {
                        Work<T, R> work = lane.get();
                        for (int item = next.getAndIncrement();
                                item < n && !Thread.currentThread().isInterrupted();
                                item = next.getAndIncrement()) {
                            results.set(item, work.apply(items.get(item)));
                            finished.add(item);
                        }
                    } catch (SyncFailure | RuntimeException | Error e) {
                        finished.add(new Failed(e));
                    } finally {
                        MDC.clear();
                    }
                });
            }
            for (int count = 0; count < n; ) {
                if (finished.take() instanceof Failed failed) {
                    throw failed.rethrow();
                }
                done.accept(++count);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure(SyncFailure.Reason.INTERRUPTED, SyncRunner.HANDED_OVER);
        } finally {
            stop(pool, threadName);
        }
        List<R> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(results.get(i));
        }
        return out;
    }

    private static void stop(ExecutorService pool, String threadName) {
        pool.shutdownNow();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (!pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                        log.warn(
                                "A call of {} is still running {} s after its run stopped it",
                                threadName,
                                STOP_WAIT_SECONDS);
                    }
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A lane's failure, queued with the finished items. */
    private record Failed(Throwable cause) {
        SyncFailure rethrow() {
            if (cause instanceof SyncFailure failure) {
                return failure;
            }
            if (cause instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) cause;
        }
    }
}
