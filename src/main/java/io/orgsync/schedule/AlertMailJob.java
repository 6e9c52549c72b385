package io.orgsync.schedule;

import io.orgsync.logging.Failures;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.util.Properties;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.jobs.ee.mail.SendMailJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * quartz-jobs' SendMailJob, told the SMTP port (the stock job always uses 25); its job data
 * carries everything else: host, sender, recipients, subject and text.
 */
public class AlertMailJob extends SendMailJob {
    public static final String PROP_SMTP_PORT = "smtp_port";
    private static final Logger log = LoggerFactory.getLogger(AlertMailJob.class);
    private String port = "25";

    /** Quartz logs a failed job at INFO, which orgsync's log configuration hides: an undelivered alert must show. */
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            super.execute(context);
        } catch (JobExecutionException e) {
            JobDataMap data = context.getMergedJobDataMap();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            log.warn(
                    "Alert e-mail '{}' to {} could not be sent through {}:{}: {}",
                    data.getString(PROP_SUBJECT),
                    data.getString(PROP_RECIPIENT),
                    data.getString(PROP_SMTP_HOST),
                    port,
                    Failures.describe(cause));
            throw e;
        }
    }

    @Override
    protected MailInfo populateMailInfo(JobDataMap data, MailInfo info) {
        String given = data.getString(PROP_SMTP_PORT);
        if (given != null) {
            port = given;
        }
        return super.populateMailInfo(data, info);
    }

    @Override
    protected Session getMailSession(MailInfo info) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", info.getSmtpHost());
        props.put("mail.smtp.port", port);
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "10000");
        return Session.getInstance(props);
    }
}
