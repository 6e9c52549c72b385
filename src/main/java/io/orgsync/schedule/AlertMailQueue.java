package io.orgsync.schedule;

import io.orgsync.alert.MailSink;
import java.util.UUID;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.jobs.ee.mail.SendMailJob;

/**
 * Alert e-mails as durable one-shot jobs ({@link AlertMailJob}): a mail survives this node
 * crashing before it is sent, and whichever node executes jobs sends it.
 */
final class AlertMailQueue implements MailSink.MailQueue {
    private final Scheduler scheduler;
    /** Null when no alert goes by e-mail. */
    private final SchedulerConfig.Smtp smtp;

    AlertMailQueue(Scheduler scheduler, SchedulerConfig.Smtp smtp) {
        this.scheduler = scheduler;
        this.smtp = smtp;
    }

    @Override
    public void enqueue(String recipients, String subject, String body) throws SchedulerException {
        if (smtp == null) {
            throw new IllegalStateException("no SMTP server configured (ORGSYNC_SMTP_HOST)");
        }
        JobDetail mail = JobBuilder.newJob(AlertMailJob.class)
                .withIdentity("mail-" + UUID.randomUUID(), JobKeys.ALERT_MAIL_GROUP)
                .storeDurably(false)
                .requestRecovery()
                .usingJobData(SendMailJob.PROP_SMTP_HOST, smtp.host())
                .usingJobData(AlertMailJob.PROP_SMTP_PORT, String.valueOf(smtp.port()))
                .usingJobData(SendMailJob.PROP_SENDER, smtp.from())
                .usingJobData(SendMailJob.PROP_RECIPIENT, recipients)
                .usingJobData(SendMailJob.PROP_SUBJECT, subject)
                .usingJobData(SendMailJob.PROP_MESSAGE, body)
                .build();
        scheduler.scheduleJob(
                mail, TriggerBuilder.newTrigger().forJob(mail).startNow().build());
    }
}
