package io.orgsync.feed;

/**
 * Where a subscription stands in one enterprise's log on the delivering node: the last change
 * handed on ({@code seq}), the last written to the database ({@code flushed}), and the retry of the
 * next one: since when it fails, how often, and when it goes again.
 */
final class Lane {
    long seq;
    long flushed;
    Long retrySince;
    int attempts;
    long nextAt;
    /** The cursor row's replay count when it was read: a replay since means reading it again. */
    final long replays;

    Lane(long seq, Long retrySince, long replays) {
        this.seq = seq;
        this.flushed = seq;
        this.retrySince = retrySince;
        this.replays = replays;
    }

    void delivered(long seq) {
        this.seq = seq;
        attempts = 0;
        nextAt = 0;
        retrySince = null;
    }

    void failed(long now) {
        attempts++;
        if (retrySince == null) {
            retrySince = now;
        }
        nextAt = now + backoffMillis(attempts);
    }

    /** 1 s, doubling with every failed attempt, at most 10 minutes. */
    static long backoffMillis(int attempts) {
        return Math.min(600_000L, 1000L << Math.min(20, attempts - 1));
    }
}
