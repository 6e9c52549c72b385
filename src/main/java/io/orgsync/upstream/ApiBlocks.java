package io.orgsync.upstream;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * APIs the upstream blocked (45009) for a corp or app: calling into a block only prolongs it,
 * so this node refuses them locally until the block has passed, while other APIs go on.
 */
final class ApiBlocks {
    /** 45009 does not say how long the block lasts; the shortest documented one is a minute. */
    static final long BLOCK_MILLIS = 60_000;

    private final Clock clock;
    private final Map<String, Long> blockedUntil = new ConcurrentHashMap<>();

    ApiBlocks(Clock clock) {
        this.clock = clock;
    }

    /** Remembers the block and returns the failure that tells the caller how long it lasts. */
    UpstreamException blocked(UpstreamRequest request, int code) {
        blockedUntil.put(key(request), clock.millis() + BLOCK_MILLIS);
        return new UpstreamException(
                UpstreamException.Kind.RATE_LIMITED,
                code,
                request.api(),
                request.api() + " is blocked for " + request.subject()
                        + " by the upstream (45009, call limit reached); not calling it again for "
                        + BLOCK_MILLIS / 1000 + " s",
                BLOCK_MILLIS / 1000,
                null);
    }

    /** Refuses the request locally while its API is blocked for its corp or app. */
    void check(UpstreamRequest request) {
        Long until = blockedUntil.get(key(request));
        long now = clock.millis();
        if (until != null && now < until) {
            long seconds = Math.max(1, (until - now + 999) / 1000);
            throw new UpstreamException(
                    UpstreamException.Kind.RATE_LIMITED,
                    45009,
                    request.api(),
                    request.api() + " is blocked for " + request.subject() + " (45009) for another " + seconds + " s",
                    seconds,
                    null);
        }
    }

    private static String key(UpstreamRequest request) {
        return request.subject() + " " + request.api();
    }
}
