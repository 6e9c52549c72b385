package io.orgsync.sync;

import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.IdsOnlyMemory;
import io.orgsync.time.Waiter;
import io.orgsync.upstream.UpstreamClient;
import io.orgsync.wecom.WecomClient;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;

/**
 * A run's fetch through the enterprise's set-up (docs/setups.md): a client per secret it holds,
 * what its contact-sync secret is known to read, and what the fetch learns of it recorded (a 48009
 * is asked once a day; without an app secret the alert says what gives more). Apart from
 * {@link SyncRunner} so that the run reads as claim, fetch, apply, record.
 */
final class SetupFetch {
    private final UpstreamClient upstream;
    private final URI wecomBaseUrl;
    private final IdsOnlyMemory idsOnly;
    private final OrgFetcher fetcher;
    private final Clock clock;

    SetupFetch(UpstreamClient upstream, SyncRunner.Options options, IdsOnlyMemory idsOnly, Clock clock, Waiter waiter) {
        this.upstream = upstream;
        this.wecomBaseUrl = options.wecomBaseUrl();
        this.idsOnly = idsOnly;
        this.fetcher = new OrgFetcher(clock, waiter, options.departmentRate(), options.departmentConcurrency());
        this.clock = clock;
    }

    /** {@link OrgFetcher#fetch} through the enterprise's secrets; {@code started}: when the run started. */
    FetchedOrg fetch(
            Enterprise enterprise, long started, long deadline, long quietUntil, RunClaim claim, SyncProgress progress)
            throws SyncFailure, SQLException {
        WecomClient app = client(enterprise.corpId(), enterprise.secret());
        WecomClient contact = client(enterprise.corpId(), enterprise.contactSecret());
        boolean idsOnlyKnown = idsOnly.known(enterprise, started);
        FetchedOrg fetched = fetcher.fetch(app, contact, idsOnlyKnown, deadline, quietUntil, claim, progress);
        if (fetched.scope().idsOnlyLearned()) {
            // the sync goes on with ids
            idsOnly.learned(enterprise, clock.millis());
        }
        return fetched;
    }

    private WecomClient client(String corpId, String secret) {
        return secret == null ? null : new WecomClient(upstream, wecomBaseUrl, corpId, secret);
    }
}
