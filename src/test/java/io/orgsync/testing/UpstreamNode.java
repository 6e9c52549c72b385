package io.orgsync.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orgsync.alert.AlertSink;
import io.orgsync.alert.Alerts;
import io.orgsync.alert.WebhookSink;
import io.orgsync.store.Database;
import io.orgsync.time.Waiter;
import io.orgsync.token.TokenHolder;
import io.orgsync.upstream.UpstreamClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What one orgsync node has for talking upstream: its own connection pool, token holder,
 * upstream client, alerts (to the simulator's robot webhook) and metrics. Tests start several
 * of them on one database to play a cluster.
 */
public final class UpstreamNode implements AutoCloseable {
    public final Database db;
    public final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    public final Alerts alerts;
    public final TokenHolder tokens;
    public final UpstreamClient client;

    public UpstreamNode(String name, String dbUrl, Clock clock, URI webhook, Duration tokenWait, double nodeRate) {
        this(name, dbUrl, clock, webhook, tokenWait, nodeRate, null);
    }

    /** @param tokenLease the token holder's fetch lease; null for the one it derives from the call time-out */
    public UpstreamNode(
            String name,
            String dbUrl,
            Clock clock,
            URI webhook,
            Duration tokenWait,
            double nodeRate,
            Duration tokenLease) {
        this(
                name,
                dbUrl,
                clock,
                Waiter.system(),
                webhook,
                tokenWait,
                nodeRate,
                tokenLease,
                Database.CONNECTION_TIMEOUT);
    }

    /**
     * @param waiter what the token holder's polling and the client's backoff wait on (a {@link TestWaiter} skips them)
     * @param dbConnectionTimeout how long the node's pool waits for a connection before it gives up
     */
    public UpstreamNode(
            String name,
            String dbUrl,
            Clock clock,
            Waiter waiter,
            URI webhook,
            Duration tokenWait,
            double nodeRate,
            Duration tokenLease,
            Duration dbConnectionTimeout) {
        this.db = Database.open(
                dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl), false, name, 4, dbConnectionTimeout);
        List<AlertSink> sinks = webhook == null ? List.of() : List.of(new WebhookSink(webhook));
        this.alerts = new Alerts(clock, metrics, sinks, "test/" + name);
        TokenHolder.Config tokenConfig =
                new TokenHolder.Config(name, tokenWait, Duration.ofSeconds(900), Duration.ofSeconds(25));
        this.tokens = new TokenHolder(
                db.dataSource(),
                clock,
                waiter,
                tokenLease == null ? tokenConfig : tokenConfig.withLease(tokenLease),
                alerts,
                metrics);
        this.client = new UpstreamClient(
                tokens, alerts, metrics, clock, waiter, new UpstreamClient.Config(nodeRate, Duration.ofSeconds(5)));
    }

    public double counter(String name, String... tags) {
        var c = metrics.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() throws Exception {
        client.close();
        tokens.close();
        alerts.close();
        db.close();
    }
}
