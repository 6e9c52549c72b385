package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.store.Database;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TcpProxy;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.UpstreamNode;
import io.orgsync.testing.Waiting;
import io.orgsync.time.Waiter;
import io.orgsync.wecom.WecomClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database goes away (a cut between node A and MariaDB) while A holds a token row's lease
 * and asks gettoken: what the upstream answered is not lost. A fetched token serves A's callers
 * at once and is stored, and the lease given back, once the database answers, so node B adopts
 * it instead of waiting for the lease or fetching another; a refused secret's hold is recorded
 * then too, so B does not ask the upstream with the refused secret again.
 */
class TokenDatabaseOutageTest {
    private static final String GETTOKEN = "/cgi-bin/gettoken";
    private static final String SECRET = "token-outage-secret-0123456";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private static String dbUrl;
    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void database() {
        dbUrl = TestDatabases.mariadb("token_outage");
        try (Database db =
                Database.open(dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl), false, "migrate", 2)) {
            db.migrate();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }

    /**
     * A node with a short lease (a lease left held would keep B waiting) and its token wait
     * {@code waitSeconds}. Its pool gives up on a connection after a second, not ten: the outage
     * is the same, the test is faster.
     */
    private UpstreamNode node(String name, String url, int waitSeconds) {
        return track(new UpstreamNode(
                name,
                url,
                clock,
                Waiter.system(),
                null,
                Duration.ofSeconds(waitSeconds),
                10_000,
                Duration.ofSeconds(2),
                Duration.ofSeconds(1)));
    }

    @Test
    void aTokenFetchedAsTheDatabaseWentIsUsedThenStoredAndTheLeaseGivenBack() throws Exception {
        String corp = "ww-token-outage-ok";
        sim.createCorp(corp, SECRET, 2, 10, true);
        TcpProxy proxy = track(new TcpProxy("127.0.0.1", 3306));
        UpstreamNode a = node("outage-a", proxy.relay(dbUrl), 30);
        UpstreamNode b = node("outage-b", dbUrl, 5);

        CompletableFuture<Object> call = cutWhileFetching(corp, SECRET, a, proxy);
        // A's caller gets its departments with the fetched token, the database still gone
        call.get(30, TimeUnit.SECONDS);
        assertEquals(1, sim.tokensIssued(corp));

        proxy.restore();
        Waiting.until(
                Duration.ofSeconds(15),
                "A stores the token and gives the lease back",
                () -> "stored, free"
                        .equals(row(
                                corp,
                                "CONCAT(IF(access_token IS NULL, 'none', 'stored'), ', ', "
                                        + "IF(lease_owner IS NULL, 'free', 'leased'))")));
        wecom(b, corp, SECRET).departments();
        assertEquals(1, sim.tokensIssued(corp), "B adopted A's token");
    }

    @Test
    void aHoldDecidedAsTheDatabaseWentIsRecordedWhenItIsBack() throws Exception {
        String corp = "ww-token-outage-held";
        sim.createCorp(corp, SECRET, 2, 10, true);
        TcpProxy proxy = track(new TcpProxy("127.0.0.1", 3306));
        UpstreamNode a = node("held-a", proxy.relay(dbUrl), 30);
        UpstreamNode b = node("held-b", dbUrl, 5);
        String wrong = "not-the-secret-0123456789";

        CompletableFuture<Object> call = cutWhileFetching(corp, wrong, a, proxy);
        Exception refused = assertThrows(Exception.class, () -> call.get(30, TimeUnit.SECONDS));
        assertTrue(
                refused.getCause() instanceof UpstreamException e && e.errcode() == 40001,
                "A's caller is told of the refusal: " + refused.getCause());

        proxy.restore();
        Waiting.until(
                Duration.ofSeconds(15),
                "A records the hold on the row",
                () -> row(corp, "IF(hold_until IS NULL, 'none', hold_errcode)").equals("40001"));
        UpstreamException held = assertThrows(
                UpstreamException.class, () -> wecom(b, corp, wrong).departments());
        assertEquals(40001, held.errcode(), held.getMessage());
        assertEquals(1, sim.calls(GETTOKEN, corp), "B did not ask with the refused secret");
    }

    /**
     * A department call on A, whose gettoken is slowed: once gettoken has arrived (A holds the
     * row's lease) the database is cut. Answers the call, still running or done.
     */
    private static CompletableFuture<Object> cutWhileFetching(
            String corp, String secret, UpstreamNode a, TcpProxy proxy) throws Exception {
        sim.fault(Map.of("path", GETTOKEN, "corpId", corp, "latencyMs", 1500, "count", 1));
        CompletableFuture<Object> call =
                CompletableFuture.supplyAsync(() -> wecom(a, corp, secret).departments());
        // gettoken has arrived: A holds the lease and has re-read the row
        Waiting.until(Duration.ofSeconds(10), "A asks gettoken", () -> sim.calls(GETTOKEN, corp) >= 1);
        proxy.cut();
        return call;
    }

    private static WecomClient wecom(UpstreamNode node, String corp, String secret) {
        return new WecomClient(node.client, sim.baseUrl(), corp, secret);
    }

    /** One expression over the corp's token row, or null when there is no row. */
    private static String row(String corp, String expression) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT " + expression + " FROM upstream_token WHERE token_key LIKE '%" + corp + "%'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
