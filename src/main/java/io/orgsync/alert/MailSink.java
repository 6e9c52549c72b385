package io.orgsync.alert;

import java.util.List;

/**
 * E-mails alerts to ORGSYNC_ALERT_EMAIL. The mail is not sent from here: it is queued as a
 * durable one-shot Quartz job (quartz-jobs' SendMailJob), so that an alert raised just before
 * a node crashes is still sent, by whichever scheduler node runs the job.
 */
public final class MailSink implements AlertSink {
    /** Where mails wait to be sent; the scheduler implements it. */
    public interface MailQueue {
        void enqueue(String recipients, String subject, String body) throws Exception;
    }

    private final List<String> recipients;
    private final MailQueue queue;

    public MailSink(List<String> recipients, MailQueue queue) {
        this.recipients = List.copyOf(recipients);
        this.queue = queue;
    }

    @Override
    public void deliver(Alert alert, String text) throws Exception {
        queue.enqueue(String.join(",", recipients), "[orgsync] " + alert.type() + ": " + alert.subject(), text);
    }

    /** The mail job sends it later, on a node that runs jobs; a failure there is logged by that job. */
    @Override
    public String deliveredResult() {
        return "queued";
    }

    @Override
    public String name() {
        return "email";
    }
}
