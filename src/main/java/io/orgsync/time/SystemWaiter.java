package io.orgsync.time;

import java.util.concurrent.locks.LockSupport;

/**
 * The real {@link Waiter}. It parks rather than calling {@code Thread.sleep}, which on Java 17
 * rounds up to whole milliseconds: at 200 department calls a second a slot is 5 ms, and a
 * millisecond lost per slot would be a fifth of the rate.
 */
enum SystemWaiter implements Waiter {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long start = System.nanoTime();
        for (long left = nanos; left > 0; left = nanos - (System.nanoTime() - start)) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
