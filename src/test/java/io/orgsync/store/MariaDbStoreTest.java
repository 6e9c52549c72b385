package io.orgsync.store;

import io.orgsync.testing.TestDatabases;
import java.util.List;

/** The store compatibility tests on MariaDB (the MySQL dialect), with its table options and collations compared too. */
class MariaDbStoreTest extends StoreCompatibilityTest {
    @Override
    String url(String name) {
        return TestDatabases.mariadb(name);
    }

    @Override
    String dialectName() {
        return "MySQL";
    }

    @Override
    String oldCopy() {
        return "mysql";
    }

    @Override
    String currentSchema() {
        return "DATABASE()";
    }

    @Override
    List<String> schemaFacts() {
        return List.of(
                "SELECT TABLE_NAME, ENGINE, TABLE_COLLATION FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE()",
                "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = DATABASE()");
    }

    @Override
    String flywayName(String name) {
        return name;
    }
}
