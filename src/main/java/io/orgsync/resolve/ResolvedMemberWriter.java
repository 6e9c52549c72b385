package io.orgsync.resolve;

import io.orgsync.enterprise.UnknownEnterpriseException;
import io.orgsync.member.MemberReads;
import io.orgsync.member.MemberStore;
import io.orgsync.member.StoredMember;
import io.orgsync.read.OrgVersions;
import io.orgsync.store.Sql;
import io.orgsync.wecom.WecomMember;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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

    /**
     * Stores the member with the mobile WeCom confirmed; a later sync keeps it even if user/list
     * hides it. Whoever else was stored with that number (learned for a person it has moved away
     * from) loses it: WeCom has just said whose it is.
     */
    void save(String corpId, WecomMember m, String mobile) throws SQLException {
        StoredMember row = StoredMember.fromWecom(m, mobile, StoredMember.LEARNED);
        write(corpId, "its resolve", (c, run) -> {
            long now = clock.millis();
            if (MemberReads.findForUpdate(c, corpId, m.userid()).isPresent()) {
                MemberStore.updateMembers(c, corpId, List.of(row), now);
            } else {
                MemberStore.insertMembers(c, corpId, List.of(row), now);
            }
            learned(c, corpId, m.userid(), mobile, run, now);
            return true;
        });
    }

    /**
     * Stores the mobile on the current member {@code userid}, its other fields as stored: the
     * set-up cannot read its details (a contact-sync secret on a new IP, docs/setups.md). Answers
     * false when no current member has the userid (the next sync stores it); whoever else was
     * stored with the number loses it all the same.
     */
    boolean saveMobile(String corpId, String userid, String mobile) throws SQLException {
        boolean[] stored = {false};
        write(corpId, "its resolve", (c, run) -> {
            long now = clock.millis();
            Optional<StoredMember> old =
                    MemberReads.findForUpdate(c, corpId, userid).filter(m -> !m.departed());
            if (old.isEmpty()) {
                return MemberStore.clearMobile(c, corpId, mobile, userid, now) > 0;
            }
            MemberStore.updateMemberRows(c, corpId, List.of(old.get().withLearnedMobile(mobile)), now);
            learned(c, corpId, userid, mobile, run, now);
            stored[0] = true;
            return true;
        });
        return stored[0];
    }

    /** The mobile is {@code userid}'s, learned now: no one else answers for it, and a run going on keeps it. */
    private static void learned(Connection c, String corpId, String userid, String mobile, long run, long now)
            throws SQLException {
        MemberStore.markLearned(c, corpId, userid, now);
        MemberStore.clearMobile(c, corpId, mobile, userid, now);
        MemberStore.markResolved(c, corpId, userid, run);
    }

    /** WeCom confirmed that the stored holder still has the number: it answers for another recheck period. */
    void confirm(String corpId, String userid) throws SQLException {
        // not part of any answer: no lock, no new version
        Sql.run(ds, c -> MemberStore.markLearned(c, corpId, userid, clock.millis()));
    }

    /** WeCom knows nobody with the number any more: no stored member answers for it. */
    void forget(String corpId, String mobile) throws SQLException {
        write(corpId, "its recheck", (c, run) -> MemberStore.clearMobile(c, corpId, mobile, null, clock.millis()) > 0);
    }

    private interface Change {
        /** Answers whether it changed anything. */
        boolean write(Connection c, long run) throws SQLException;
    }

    private void write(String corpId, String what, Change change) throws SQLException {
        OrgVersions.ensureRow(ds, corpId);
        long version = Sql.inTransaction(ds, c -> {
            // first the enterprise lock, as a sync's apply takes it: the apply never writes back a row it
            // read before this write, and it knows from the stamp that this member was learned during its run
            long run = ResolveStore.lockEnterprise(c, corpId)
                    .orElseThrow(() -> new UnknownEnterpriseException(
                            corpId,
                            "enterprise " + corpId + " was removed while " + what + " ran; nothing was stored"));
            return change.write(c, run) ? OrgVersions.bump(c, corpId) : 0L;
        });
        // this node's cached answers go at once: the caller may look the number up right after
        if (version > 0) {
            versions.committed(corpId, version);
        }
    }
}
