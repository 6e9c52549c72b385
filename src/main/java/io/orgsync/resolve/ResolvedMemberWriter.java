package io.orgsync.resolve;

import io.orgsync.enterprise.UnknownEnterpriseException;
import io.orgsync.member.MemberStore;
import io.orgsync.member.StoredMember;
import io.orgsync.read.OrgVersions;
import io.orgsync.store.Sql;
import io.orgsync.wecom.WecomMember;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes a member that a resolve learned from WeCom, under the same enterprise lock a sync's
 * apply takes, so that neither writes back a row the other changed meanwhile.
 */
final class ResolvedMemberWriter {
    private final DataSource ds;
    private final OrgVersions versions;
    private final Clock clock;

    ResolvedMemberWriter(DataSource ds, OrgVersions versions, Clock clock) {
        this.ds = ds;
        this.versions = versions;
        this.clock = clock;
    }

    /** Stores the member with the mobile WeCom confirmed; a later sync keeps it even if user/list hides it. */
    void save(String corpId, WecomMember m, String mobile) throws SQLException {
        StoredMember row = StoredMember.fromWecom(m, mobile, "resolve");
        OrgVersions.ensureRow(ds, corpId);
        long version = Sql.inTransaction(ds, c -> {
            // first the enterprise lock, as a sync's apply takes it: the apply never writes back a row it
            // read before this write, and it knows from the stamp that this member was learned during its run
            long run = ResolveStore.lockEnterprise(c, corpId)
                    .orElseThrow(() -> new UnknownEnterpriseException(
                            corpId, "enterprise " + corpId + " was removed while its resolve ran; nothing was stored"));
            if (MemberStore.findForUpdate(c, corpId, m.userid()).isPresent()) {
                MemberStore.updateMembers(c, corpId, List.of(row), clock.millis());
            } else {
                MemberStore.insertMembers(c, corpId, List.of(row), clock.millis());
            }
            MemberStore.markResolved(c, corpId, m.userid(), run);
            return OrgVersions.bump(c, corpId);
        });
        // this node's cached answers go at once: the caller may look the number up right after
        versions.committed(corpId, version);
    }
}
