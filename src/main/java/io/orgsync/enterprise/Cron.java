package io.orgsync.enterprise;

import java.text.ParseException;
import java.util.Date;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * An enterprise's cron as the scheduler reads it: Quartz's syntax, in Beijing time. A cron can
 * parse and still never fire again (a year in the past): Quartz refuses to schedule such a
 * trigger, so the admin API refuses the cron before anything is stored, and the admin lists name
 * it as the enterprise's problem when an older build stored one.
 */
public final class Cron {
    /** Enterprises are Chinese companies: their cron expressions mean Beijing time. */
    public static final TimeZone ZONE = TimeZone.getTimeZone("Asia/Shanghai");

    private Cron() {}

    /** What keeps {@code cron} from ever firing after {@code now}, or null when it fires again. */
    public static String neverFires(String cron, long now) {
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            return "cron '" + cron + "' is not a valid Quartz cron expression: " + e.getMessage();
        }
        expression.setTimeZone(ZONE);
        if (expression.getNextValidTimeAfter(new Date(now)) != null) {
            return null;
        }
        return "cron '" + cron + "' never fires again (no time after now matches it in " + ZONE.getID()
                + "): send one that does, e.g. '0 0 3 * * ?' for 03:00 every day";
    }
}
