package io.orgsync.testing.cluster;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Bounded polling: every wait of the cluster tests ends, with a message saying what never happened. */
public final class Waits {
    private Waits() {
    }

    /**
     * Calls {@code probe} every {@code every} until it returns a non-null value, and returns that
     * value; fails after {@code timeout} with {@code what} and the last exception, if any.
     */
    public static <T> T until(String what, Duration timeout, Duration every, Callable<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                T value = probe.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (last == null ? "" : " (last error: " + last + ")"));
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            sleep(every);
        }
    }

    public static <T> T until(String what, Duration timeout, Callable<T> probe) {
        return until(what, timeout, Duration.ofMillis(250), probe);
    }

    public static void untilTrue(String what, Duration timeout, Supplier<Boolean> condition) {
        until(what, timeout, () -> condition.get() ? Boolean.TRUE : null);
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
