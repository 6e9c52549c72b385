package io.orgsync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

/** Spreading enterprises that share a cron over the minute. */
class CronSpreadTest {
    private static int second(String cron) {
        return Integer.parseInt(cron.split(" ")[0]);
    }

    @Test
    void aSecondsFieldOfZeroBecomesASecondOfTheMinute() {
        String spread = CronSpread.spread("0 0 * * * ?", "wwacme");
        int second = second(spread);

        assertTrue(second >= 0 && second < 60, spread);
        assertEquals("0 * * * ?", spread.substring(spread.indexOf(' ') + 1));
    }

    @Test
    void theSameCorpAlwaysGetsTheSameSecond() {
        assertEquals(CronSpread.spread("0 0 * * * ?", "wwacme"), CronSpread.spread("0 0 * * * ?", "wwacme"));
    }

    @Test
    void theSecondDependsOnTheCorpOnlyNotOnTheRestOfTheCron() {
        assertEquals(
                second(CronSpread.spread("0 0 * * * ?", "wwacme")),
                second(CronSpread.spread("0 30 2 * * ?", "wwacme")));
    }

    @Test
    void manyCorpsAreSpreadOverMostOfTheMinute() {
        Set<Integer> seconds = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seconds.add(second(CronSpread.spread("0 0 * * * ?", "ww" + i)));
        }
        assertTrue(seconds.size() >= 55, seconds.size() + " distinct seconds");
    }

    @Test
    void aCorpIdWithANegativeHashStillGetsASecondOfTheMinute() {
        String corp = "polygenelubricants"; // its String.hashCode() is Integer.MIN_VALUE
        assertEquals(Integer.MIN_VALUE, corp.hashCode());
        int second = second(CronSpread.spread("0 0 * * * ?", corp));
        assertTrue(second >= 0 && second < 60, String.valueOf(second));
    }

    @Test
    void anExplicitSecondIsKeptAsWritten() {
        assertEquals("15 0 * * * ?", CronSpread.spread("15 0 * * * ?", "wwacme"));
    }

    @Test
    void aSecondsListOrRangeIsKeptAsWritten() {
        assertEquals("0/30 * * * * ?", CronSpread.spread("0/30 * * * * ?", "wwacme"));
        assertEquals("0,30 * * * * ?", CronSpread.spread("0,30 * * * * ?", "wwacme"));
    }

    @Test
    void extraWhitespaceIsFoldedWhenTheSecondIsSpread() {
        String spread = CronSpread.spread("  0   0 *  * * ? ", "wwacme");
        assertEquals("0 * * * ?", spread.substring(spread.indexOf(' ') + 1));
    }

    @Test
    void theSpreadCronIsStillAValidQuartzExpression() {
        assertTrue(CronExpression.isValidExpression(CronSpread.spread("0 0 8-18 ? * MON-FRI", "wwacme")));
    }
}
