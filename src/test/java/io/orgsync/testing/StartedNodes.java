package io.orgsync.testing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@link ApiNode}s a test starts, closed after it whether it passed or not, in the reverse
 * order of their start: {@code @RegisterExtension final StartedNodes nodes = new StartedNodes();}
 * instead of a field, an {@code @AfterEach} and a null check in every test class.
 */
public final class StartedNodes implements AfterEachCallback {
    private final List<ApiNode> nodes = new ArrayList<>();

    public ApiNode start(String name, String dbUrl, SimulatorControl sim, Map<String, String> extra) throws Exception {
        return start(name, dbUrl, sim, extra, Clock.systemUTC());
    }

    public ApiNode start(String name, String dbUrl, SimulatorControl sim, Map<String, String> extra, Clock clock)
            throws Exception {
        ApiNode node = ApiNode.start(name, dbUrl, sim, extra, clock);
        synchronized (nodes) {
            nodes.add(node);
        }
        return node;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ApiNode> started;
        synchronized (nodes) {
            started = new ArrayList<>(nodes);
            nodes.clear();
        }
        RuntimeException first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (RuntimeException e) {
                // the others are closed all the same: a node left running would hold its port and pools
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
