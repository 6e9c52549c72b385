package io.orgsync.testing;

import java.time.Duration;

/**
 * How often an in-JVM node's started Quartz scheduler looks for due triggers, for tests that
 * must give it the chance to fire something and then check that nothing ran. The surefire run
 * sets a short idleWaitTime as a system property (a node reads it over quartz.properties); run
 * elsewhere, the shipped value applies and the wait grows with it.
 */
public final class QuartzTiming {
    /** quartz.properties' org.quartz.scheduler.idleWaitTime. */
    private static final long SHIPPED_IDLE_WAIT_MILLIS = 5_000;

    private QuartzTiming() {}

    public static Duration idleWait() {
        return Duration.ofMillis(Long.getLong("org.quartz.scheduler.idleWaitTime", SHIPPED_IDLE_WAIT_MILLIS));
    }

    /** Two passes of the scheduler thread and a second to spare: long enough to see a job it should not fire. */
    public static Duration twoPasses() {
        return idleWait().multipliedBy(2).plusSeconds(1);
    }
}
