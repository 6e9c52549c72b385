package io.orgsync.schedule;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import org.quartz.JobDataMap;
import org.quartz.jobs.ee.mail.SendMailJob;

import java.util.Properties;

/**
 * quartz-jobs' SendMailJob, told the SMTP port (the stock job always uses 25); its job data
 * carries everything else: host, sender, recipients, subject and text.
 */
public class AlertMailJob extends SendMailJob {
    public static final String PROP_SMTP_PORT = "smtp_port";
    private String port = "25";

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
