package io.orgsync.resolve;

import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.IdsOnlyMemory;
import io.orgsync.wecom.ContactIds;
import io.orgsync.wecom.WecomClient;
import io.orgsync.wecom.WecomMember;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * The details of the member getuserid named (docs/setups.md, "Resolve"): user/get through the app
 * secret, as always; through a contact-sync secret alone, user/get unless that secret is known to
 * answer 48009 (called from an IP trusted since 2022-08-15, it reads ids only). A 48009 learned
 * here is remembered on the enterprise row, as a sync's is.
 */
final class MemberDetails {
    /** WeCom has no member with the number. */
    static final Read NONE = new Read(Optional.empty(), false);

    private static final Read IDS_ONLY = new Read(Optional.empty(), true);

    /**
     * What WeCom told of the member: {@code idsOnly} when the set-up cannot read its details (the
     * stored member answers); else {@code member}, empty when WeCom has no such member.
     */
    record Read(Optional<WecomMember> member, boolean idsOnly) {}

    private final IdsOnlyMemory idsOnly;
    private final Clock clock;

    MemberDetails(IdsOnlyMemory idsOnly, Clock clock) {
        this.idsOnly = idsOnly;
        this.clock = clock;
    }

    /** {@code client}: the enterprise's reading secret's, the one getuserid answered through. */
    Read read(Enterprise enterprise, WecomClient client, String userid) throws SQLException {
        if (enterprise.secret() != null) {
            return new Read(client.member(userid), false);
        }
        if (idsOnly.known(enterprise, clock.millis())) {
            return IDS_ONLY;
        }
        Optional<Optional<WecomMember>> asked = new ContactIds(client).member(userid);
        if (asked.isEmpty()) {
            idsOnly.learned(enterprise, clock.millis());
            return IDS_ONLY;
        }
        return new Read(asked.get(), false);
    }
}
