package io.orgsync.resolve;

import io.github.bucket4j.Bucket;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resolve rate of each enterprise on this node: a token bucket that starts full and holds one
 * second of the rate, so that the burst "5 a second" promises is served at once. Beyond it a
 * resolve waits for a token up to {@link #MAX_WAIT}; one that would wait longer is refused at
 * once (the bucket reserves tokens ahead, so it never waits only to be refused).
 */
final class ResolveRate {
    static final Duration MAX_WAIT = Duration.ofSeconds(1);

    private final double perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    ResolveRate(double perSecond) {
        this.perSecond = perSecond;
    }

    /** Takes a token of the enterprise's rate, or refuses as {@link Refusal#RATE_LIMITED} with the time to retry after. */
    void acquire(String corpId) throws InterruptedException {
        Bucket bucket = buckets.computeIfAbsent(corpId, k -> newBucket());
        if (!bucket.asBlocking().tryConsume(1, MAX_WAIT)) {
            long waitNanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            throw new RefusedException(
                    Refusal.RATE_LIMITED,
                    "too many resolves for " + corpId + " right now (ORGSYNC_RESOLVE_RATE " + perSecond
                            + " a second); retry after Retry-After seconds",
                    Math.max(1, (long) Math.ceil(waitNanos / 1e9)));
        }
    }

    private Bucket newBucket() {
        // a whole number of tokens refilled over the time the rate needs for them: 5 a second is 5 per
        // second, 0.01 a second is 1 per 100 s, 2.5 a second is 3 per 1.2 s
        long capacity = Math.max(1, (long) Math.ceil(perSecond));
        Duration period = Duration.ofNanos((long) (capacity / perSecond * 1e9));
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                .build();
    }
}
