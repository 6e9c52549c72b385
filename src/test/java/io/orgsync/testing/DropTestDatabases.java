package io.orgsync.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Drops the MariaDB databases a test class created once the class is done (after its own
 * {@code @AfterAll}, when its nodes have closed their pools), so that a test run leaves the
 * developer's server as it found it. Registered for every test class through JUnit's extension
 * auto-detection. {@code -Dorgsync.test.keepDatabases=true} (or ORGSYNC_TEST_KEEP_DATABASES=true)
 * keeps them for inspecting a failure.
 */
public final class DropTestDatabases implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getParent().flatMap(ExtensionContext::getParent).isPresent()) {
            return; // a @Nested class: its enclosing class drops what they created together
        }
        if (keep()) {
            TestDatabases.forgetCreated();
            return;
        }
        TestDatabases.dropCreated();
    }

    static boolean keep() {
        return Boolean.getBoolean("orgsync.test.keepDatabases")
                || "true".equals(System.getenv("ORGSYNC_TEST_KEEP_DATABASES"));
    }
}
