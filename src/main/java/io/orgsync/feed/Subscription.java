package io.orgsync.feed;

import io.orgsync.org.OrgChange;
import java.util.List;
import java.util.Set;

/**
 * A receiver of the change feed as stored (its secret sealed). {@code corpIds} null: every
 * enterprise of the environment; {@code types} null: all six types. {@code failing}: it gave up
 * after ORGSYNC_FEED_RETRY_HOURS (or the log lost changes it still needed) and waits to be re-enabled.
 */
record Subscription(
        String name,
        String url,
        String sealedSecret,
        List<String> corpIds,
        Set<String> types,
        boolean enabled,
        boolean failing,
        String lastError,
        Long lastDeliveredAt,
        long createdAt,
        long updatedAt) {

    static final List<String> TYPES = java.util.Arrays.stream(OrgChange.Kind.values())
            .map(k -> FeedEvents.TYPE_PREFIX + k.type())
            .toList();

    /** Whether it delivers at all now. */
    boolean delivering() {
        return enabled && !failing;
    }

    String state() {
        return !enabled ? "disabled" : failing ? "failing" : "active";
    }

    boolean wants(OrgChange change) {
        return types == null
                || types.contains(FeedEvents.TYPE_PREFIX + change.kind().type());
    }

    boolean covers(String corpId) {
        return corpIds == null || corpIds.contains(corpId);
    }
}
