package io.orgsync.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polling waits with generous bounds, for what happens on other threads or nodes. */
public final class Await {
    private Await() {
    }

    /**
     * Calls {@code probe} every 50 ms until it returns something other than null or false, and
     * returns that; fails naming {@code what} when {@code timeout} passes first.
     */
    public static <T> T until(String what, Duration timeout, Callable<T> probe) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.call();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(50);
        }
    }
}
