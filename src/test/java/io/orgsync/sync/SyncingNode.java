package io.orgsync.sync;

import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.member.Member;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.TestNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-process node a sync test starts, runs syncs on directly (no scheduler) and has closed
 * after it. Its clock is moved a second ahead before each run, instead of the test waiting out
 * the quiet second between two runs of one enterprise.
 */
final class SyncingNode implements AfterEachCallback {
    final MutableClock clock = new MutableClock();
    private Node node;

    /** Starts the node {@code settings} describe, on this fixture's clock. */
    Node start(TestNode settings) throws Exception {
        node = settings.start(clock);
        return node;
    }

    /** Registers {@code corp} as the admin API does, with a schedule that never fires. */
    void enterprise(String corp, String secret) throws Exception {
        node.enterprises().put(corp, new EnterpriseChange(corp, secret, TestNode.NEVER, true, null));
    }

    Run run(String corp) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        return node.sync(corp, SyncProgress.NONE);
    }

    /** The userids a lookup of {@code mobile} answers, as stored now. */
    List<String> owners(String mobile, String corp) throws Exception {
        return NodeInternals.members(node).byMobile(mobile, corp).stream()
                .map(Member::userid)
                .toList();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (node != null) {
            node.close();
            node = null;
        }
    }
}
