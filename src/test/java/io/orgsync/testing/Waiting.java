package io.orgsync.testing;

import java.time.Duration;

/**
 * Polls for something that happens on another thread, node or process, with generous bounds:
 * every wait ends, and a failed one says what never happened and the probe's last error. One
 * argument order everywhere: how long, what for, then the probe.
 */
public final class Waiting {
    private static final Duration EVERY = Duration.ofMillis(100);

    private Waiting() {}

    /** Polls until {@code condition} holds, or fails with {@code what} after {@code limit}. */
    public static void until(Duration limit, String what, CheckedSupplier<Boolean> condition) {
        await(limit, what, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null);
    }

    /** Polls until {@code value} gives a result (not null, not false) and returns it. */
    public static <T> T await(Duration limit, String what, CheckedSupplier<T> value) {
        return await(limit, EVERY, what, value);
    }

    /**
     * As {@link #await(Duration, String, CheckedSupplier)}, polling every {@code every}: a probe that
     * starts a process or asks a whole cluster need not run ten times a second. A probe that
     * throws, or fails an assertion, is asked again; one that throws {@link GiveUp} ends the wait.
     */
    public static <T> T await(Duration limit, Duration every, String what, CheckedSupplier<T> value) {
        long deadline = System.nanoTime() + limit.toNanos();
        Throwable last = null;
        while (true) {
            try {
                T v = value.get();
                if (v != null && !Boolean.FALSE.equals(v)) {
                    return v;
                }
            } catch (GiveUp e) {
                throw e;
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "waited " + limit.toSeconds() + " s for: " + what
                                + (last == null ? "" : " (last error: " + last + ")"),
                        last);
            }
            sleep(every);
        }
    }

    /** Pauses the test thread; an interrupt fails the test rather than being lost. */
    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    /** Thrown by a probe when what it waits for can no longer happen (the process died): the wait fails at once. */
    public static final class GiveUp extends AssertionError {
        public GiveUp(String message) {
            super(message);
        }
    }

    /** A supplier that may throw, for HTTP and SQL calls. */
    public interface CheckedSupplier<T> {
        T get() throws Exception;
    }

    /** Sugar for {@code Duration.ofSeconds}. */
    public static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
