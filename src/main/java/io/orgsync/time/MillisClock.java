package io.orgsync.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} defined by its {@link #millis()} alone, in UTC: orgsync compares instants and
 * never asks a clock for a zone (calendar days name their zone where they are counted).
 */
public abstract class MillisClock extends Clock {
    @Override
    public abstract long millis();

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("this clock answers instants, in UTC");
    }
}
