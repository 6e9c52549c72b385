package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With ORGSYNC_SECRET_KEY set, the access tokens in {@code upstream_token} are sealed like the
 * secrets (a SELECT-only account reads nothing it could call WeCom with); every node with the
 * key uses the token another stored, and a row an older build wrote unsealed is still read.
 */
class SealedTokenTest {
    private static final String SECRET = "sealed-token-secret-01234";
    private static final String KEY = "sealed-token-key-0123456789";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void storedTokensAreSealedAndEveryNodeWithTheKeyUsesThem(String dialect) throws Exception {
        String corp = "ww-sealed-" + dialect;
        sim.createCorp(corp, SECRET, 2, 10, true);
        // as WeCom does: gettoken hands out the live token again, so the test can learn the stored one
        sim.limits(Map.of("wecomSameTokenWithinValidity", true));
        String url = TestDatabases.url(dialect, "sealed_token");
        Map<String, String> keyed = Map.of("ORGSYNC_SECRET_KEY", KEY);
        try (ApiNode a = ApiNode.start("sealed-a-" + dialect, url, sim, keyed)) {
            a.enterprise(corp, SECRET);
            assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        }
        assertEquals(1, sim.tokensIssued(corp));
        String token = sim.send("GET", "/cgi-bin/gettoken?corpid=" + corp + "&corpsecret=" + SECRET, null)
                .path("access_token")
                .asText();
        List<String> stored = storedTokens(url);
        assertEquals(1, stored.size(), stored::toString);
        assertFalse(stored.get(0).contains(token), "the token is not readable in the table");
        assertTrue(stored.get(0).startsWith("enc:v1:"), "sealed");

        try (ApiNode b = ApiNode.start("sealed-b-" + dialect, url, sim, keyed)) {
            assertEquals(RunStatus.SUCCEEDED, b.sync(corp).status());
        }
        assertEquals(1, sim.tokensIssued(corp), "another node with the key used the stored token");

        // a row an older build wrote: the token as it is
        update(url, "UPDATE upstream_token SET access_token = '" + token + "' WHERE access_token IS NOT NULL");
        try (ApiNode c = ApiNode.start("sealed-c-" + dialect, url, sim, keyed)) {
            assertEquals(RunStatus.SUCCEEDED, c.sync(corp).status());
        }
        assertEquals(1, sim.tokensIssued(corp), "an unsealed row is still read");
    }

    private static List<String> storedTokens(String url) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(url);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT access_token FROM upstream_token WHERE access_token IS NOT NULL")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void update(String url, String sql) throws Exception {
        try (Connection c = connect(url);
                Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate(sql));
        }
    }

    private static Connection connect(String url) throws Exception {
        return DriverManager.getConnection(url, TestDatabases.user(url), TestDatabases.password(url));
    }
}
