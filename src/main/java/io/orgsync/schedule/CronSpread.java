package io.orgsync.schedule;

/**
 * Spreads enterprises that share a cron over the minute: a seconds field of plain "0" becomes a
 * second derived from the corp id, so that 1,000 enterprises on "0 0 * * * ?" do not all start
 * (and call WeCom) in the same second. Any other seconds field is kept as written.
 */
final class CronSpread {
    private CronSpread() {}

    static String spread(String cron, String corpId) {
        String[] fields = cron.trim().split("\\s+");
        if (!fields[0].equals("0")) {
            return cron;
        }
        fields[0] = String.valueOf(Math.floorMod(corpId.hashCode() * 31 + 7, 60));
        return String.join(" ", fields);
    }
}
