package io.orgsync.store;

import io.orgsync.testing.TestDatabases;
import java.util.List;

/** The store compatibility tests on the embedded H2 database, as the application opens it (MySQL mode). */
class H2StoreTest extends StoreCompatibilityTest {
    @Override
    String url(String name) {
        return TestDatabases.h2(name) + LOCK_TIMEOUT;
    }

    /**
     * The racing tests' eight writers wait for each other's row locks; H2's default of one second
     * is too short for a busy test machine, where a waiter then fails instead of going on.
     */
    static final String LOCK_TIMEOUT = ";LOCK_TIMEOUT=20000";

    @Override
    String dialectName() {
        return "H2";
    }

    @Override
    String oldCopy() {
        return "h2";
    }

    @Override
    String currentSchema() {
        return "CURRENT_SCHEMA";
    }

    @Override
    List<String> schemaFacts() {
        return List.of();
    }

    @Override
    String flywayName(String name) {
        return '"' + name + '"';
    }
}
