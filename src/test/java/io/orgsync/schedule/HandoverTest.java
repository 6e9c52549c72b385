package io.orgsync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.testing.TestWaiter;
import io.orgsync.time.Waiter;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * A planned stop waits out the shutdown grace for running syncs, then hands each one still
 * running over: a one-shot trigger of its job, and an interrupt. The grace is spent on the
 * handover's {@link Waiter}, a {@link TestWaiter} here, so ten minutes of it cost nothing.
 */
class HandoverTest {
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final JobKey JOB = JobKey.jobKey("ww-handover", JobKeys.SYNC_GROUP);

    private static volatile CountDownLatch started;
    private static volatile CountDownLatch finish;
    private static final AtomicBoolean interrupted = new AtomicBoolean();

    private Scheduler scheduler;

    /** A sync that runs until it is told to finish or is interrupted. */
    @DisallowConcurrentExecution
    public static final class BlockingSync implements InterruptableJob {
        @Override
        public void execute(JobExecutionContext context) {
            started.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }

        @Override
        public void interrupt() {
            // Quartz calls this from the interrupting thread; the job ends as a handed-over run would
            finish.countDown();
            interrupted.set(true);
        }
    }

    @BeforeEach
    void startSync() throws Exception {
        started = new CountDownLatch(1);
        finish = new CountDownLatch(1);
        interrupted.set(false);
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "handover-" + UUID.randomUUID());
        // a free thread: with every thread busy, Quartz's scheduler thread waits for one past its standby check
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        scheduler = new StdSchedulerFactory(p).getScheduler();
        scheduler.start();
        scheduler.scheduleJob(
                JobBuilder.newJob(BlockingSync.class)
                        .withIdentity(JOB)
                        .storeDurably()
                        .build(),
                TriggerBuilder.newTrigger()
                        .withIdentity(TriggerKey.triggerKey(JOB.getName(), JobKeys.SYNC_GROUP))
                        .startNow()
                        .build());
        assertTrue(started.await(30, TimeUnit.SECONDS), "the sync started");
    }

    @AfterEach
    void stop() throws Exception {
        finish.countDown();
        scheduler.shutdown(true);
    }

    @Test
    void aSyncStillRunningAfterTheGraceIsHandedOver() throws Exception {
        TestWaiter waiter = new TestWaiter();

        new Handover(scheduler, GRACE, waiter).run();

        List<Duration> sleeps = waiter.sleeps();
        int gracePolls = (int) (GRACE.toMillis() / 100);
        assertTrue(sleeps.size() >= gracePolls, "polled through the grace: " + sleeps.size());
        assertTrue(sleeps.stream().allMatch(Duration.ofMillis(100)::equals), "every poll is 100 ms");
        assertTrue(interrupted.get(), "the sync was interrupted");
        assertEquals(1, handoverTriggers(), "one one-shot trigger takes the sync to another node");
        assertTrue(scheduler.isInStandbyMode());
    }

    @Test
    void aSyncEndingWithinTheGraceIsNotHandedOver() throws Exception {
        TestWaiter time = new TestWaiter();
        AtomicInteger polls = new AtomicInteger();
        // the sync finishes at the third poll, well within the grace: the poll returns once Quartz
        // no longer lists it, so the polls after it cannot spin through the grace in the meantime
        Waiter waiter = new Waiter() {
            @Override
            public long nanoTime() {
                return time.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                time.sleepNanos(nanos);
                if (polls.incrementAndGet() == 3) {
                    finish.countDown();
                    awaitNoneExecuting();
                }
            }
        };

        new Handover(scheduler, GRACE, waiter).run();

        assertFalse(interrupted.get(), "the sync ended on its own");
        assertEquals(0, handoverTriggers());
        assertTrue(time.elapsed().compareTo(GRACE) < 0, "returned within the grace: " + time.elapsed());
    }

    private void awaitNoneExecuting() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (!scheduler.getCurrentlyExecutingJobs().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the sync did not end");
                }
                Thread.sleep(5);
            }
        } catch (org.quartz.SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    private long handoverTriggers() throws Exception {
        return scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(JobKeys.MANUAL_GROUP)).stream()
                .filter(k -> k.getName().startsWith("handover-"))
                .count();
    }
}
