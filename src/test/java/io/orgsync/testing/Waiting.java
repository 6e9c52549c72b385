package io.orgsync.testing;

import java.time.Duration;

/** Polls for something that happens on another thread or node, with generous bounds. */
public final class Waiting {
    private Waiting() {
    }

    /** Polls until {@code condition} holds, or fails with {@code what} after {@code limit}. */
    public static void until(Duration limit, String what, CheckedSupplier<Boolean> condition) {
        await(limit, what, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null);
    }

    /** Polls until {@code value} gives a non-null result and returns it. */
    public static <T> T await(Duration limit, String what, CheckedSupplier<T> value) {
        long deadline = System.nanoTime() + limit.toNanos();
        Throwable last = null;
        while (true) {
            try {
                T v = value.get();
                if (v != null) {
                    return v;
                }
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + limit.toSeconds() + " s for: " + what
                        + (last == null ? "" : " (last error: " + last + ")"), last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
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
