package io.orgsync.enterprise;

import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.upstream.ConfigurationFixes;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What the enterprise row remembers of its contact-sync secret answering 48009 (docs/setups.md):
 * whoever learns it (a sync's department/list, a resolve's user/get) records it, so that no one
 * asks that secret for details again within the day; without an app secret the alert says what the
 * set-up reads and what gives more.
 */
public final class IdsOnlyMemory {
    private final DataSource ds;
    private final Alerts alerts;

    public IdsOnlyMemory(DataSource ds, Alerts alerts) {
        this.ds = ds;
        this.alerts = alerts;
    }

    /** Whether the enterprise's contact-sync secret answered 48009 less than a day before {@code now}. */
    public boolean known(Enterprise enterprise, long now) throws SQLException {
        return enterprise.contactSecret() != null && AccessStore.idsOnlyKnown(ds, enterprise.corpId(), now);
    }

    /** The contact-sync secret answered 48009 at {@code now}. */
    public void learned(Enterprise enterprise, long now) throws SQLException {
        String corpId = enterprise.corpId();
        AccessStore.learnedIdsOnly(ds, corpId, now);
        if (enterprise.secret() == null) {
            alerts.raise(new Alert("upstream_config", corpId, ConfigurationFixes.idsOnly(corpId)));
        }
    }
}
