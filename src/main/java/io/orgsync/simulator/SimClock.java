package io.orgsync.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's notion of time: the wall clock plus an offset that tests move forward
 * ({@code POST /__sim/clock}), so that token expiry and daily limits need not be waited for.
 */
final class SimClock {
    /** WeCom counts daily limits by the day in China. */
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final AtomicLong offsetMillis = new AtomicLong();

    long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    long advance(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("the clock only moves forward");
        }
        return offsetMillis.addAndGet(seconds * 1000);
    }

    long offsetMillis() {
        return offsetMillis.get();
    }

    LocalDate chinaDay() {
        return Instant.ofEpochMilli(millis()).atZone(CHINA).toLocalDate();
    }

    Instant now() {
        return Instant.ofEpochMilli(millis());
    }
}
