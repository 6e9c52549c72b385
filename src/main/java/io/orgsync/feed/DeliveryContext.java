package io.orgsync.feed;

import io.orgsync.alert.Alerts;
import io.orgsync.org.ChangeLog;
import java.time.Clock;
import java.time.Duration;

/** What every deliverer of a node shares: the stores, the sender, the cluster clock, and who this node is. */
record DeliveryContext(
        SubscriptionStore subscriptions,
        CursorStore cursors,
        ChangeLog log,
        FeedEvents events,
        FeedSender sender,
        Clock clock,
        FeedMetrics metrics,
        Alerts alerts,
        Duration retryHorizon,
        String owner) {}
