package io.orgsync.store;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.orgsync.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The store compatibility tests on H2 without its MySQL mode, which imitates some MySQL syntax:
 * the feature stores' statements and the H2 dialect's own need none of it.
 */
class H2RegularModeStoreTest extends H2StoreTest {
    @Override
    String url(String name) {
        return TestDatabases.h2(name) + ";MODE=REGULAR" + LOCK_TIMEOUT;
    }

    @Test
    void mySqlOnlySyntaxIsRefusedHere() throws SQLException {
        try (Database db = Database.open(url("regular"), "sa", "", false, "regular", 1);
                Connection c = db.connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE regular_check (k INT NOT NULL, n INT NOT NULL, PRIMARY KEY (k))");
            assertThrows(SQLException.class, () -> s.execute("INSERT IGNORE INTO regular_check (k, n) VALUES (1, 1)"));
            assertThrows(
                    SQLException.class,
                    () -> s.execute(
                            "INSERT INTO regular_check (k, n) VALUES (1, 1) ON DUPLICATE KEY UPDATE n = n + 1"));
        }
    }
}
