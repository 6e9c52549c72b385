package io.orgsync.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link ApiNode} per database kind ("h2", "mariadb"), started and set up the first time a
 * test asks for it and shared by the class's other tests of that kind: a sync from the simulator
 * takes seconds, the reads checked after it milliseconds. Registered as a static
 * {@code @RegisterExtension} after the class's {@link SimulatorControl}, it closes the nodes
 * after the class and before the simulator stops.
 */
public final class NodePerDialect implements AutoCloseable, AfterAllCallback {
    /** What a fresh node needs before the tests read from it: enterprises, syncs, simulator changes. */
    public interface Setup {
        void prepare(ApiNode node) throws Exception;
    }

    private final String name;
    private final String database;
    private final SimulatorControl sim;
    private final Setup setup;
    private final Map<String, ApiNode> nodes = new LinkedHashMap<>();

    /** {@code name}: the node's name prefix; {@code database}: the test database's name, per dialect. */
    public NodePerDialect(String name, String database, SimulatorControl sim, Setup setup) {
        this.name = name;
        this.database = database;
        this.sim = sim;
        this.setup = setup;
    }

    public synchronized ApiNode get(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        if (node == null) {
            node = ApiNode.start(name + "-" + dialect, TestDatabases.url(dialect, database), sim, Map.of());
            // kept before the set-up: a set-up that fails still leaves the node to close
            nodes.put(dialect, node);
            setup.prepare(node);
        }
        return node;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public synchronized void close() {
        nodes.values().forEach(ApiNode::close);
        nodes.clear();
    }
}
