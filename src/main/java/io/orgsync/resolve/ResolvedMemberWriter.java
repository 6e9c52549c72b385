package io.orgsync.resolve;

import io.orgsync.enterprise.UnknownEnterpriseException;
import io.orgsync.member.MemberReads;
import io.orgsync.member.StoredMember;
import io.orgsync.org.OrgChange;
import io.orgsync.org.OrgTransaction;
import io.orgsync.org.OrgWriter;
import io.orgsync.wecom.WecomMember;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * Writes a member that a resolve learned from WeCom through the org's writer, under the same
 * enterprise lock a sync's apply takes, so that neither writes back a row the other changed
 * meanwhile.
 */
final class ResolvedMemberWriter {
    private final OrgWriter writer;
    private final Clock clock;

    ResolvedMemberWriter(OrgWriter writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
    }

    /**
     * Stores the member with the mobile WeCom confirmed; a later sync keeps it even if user/list
     * hides it. Whoever else was stored with that number (learned for a person it has moved away
     * from) loses it: WeCom has just said whose it is.
     */
    void save(String corpId, WecomMember m, String mobile) throws SQLException {
        StoredMember row = StoredMember.fromWecom(m, mobile, StoredMember.LEARNED);
        write(corpId, "its resolve", tx -> {
            tx.putMember(
                    MemberReads.findForUpdate(tx.connection(), corpId, m.userid())
                            .orElse(null),
                    row);
            learned(tx, m.userid(), mobile);
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
        write(corpId, "its resolve", tx -> {
            Optional<StoredMember> old =
                    MemberReads.findForUpdate(tx.connection(), corpId, userid).filter(m -> !m.departed());
            if (old.isEmpty()) {
                tx.clearMobile(mobile, userid);
                return true;
            }
            tx.putMember(old.get(), old.get().withLearnedMobile(mobile));
            learned(tx, userid, mobile);
            stored[0] = true;
            return true;
        });
        return stored[0];
    }

    /** The mobile is {@code userid}'s, learned now: no one else answers for it, and a run going on keeps it. */
    private static void learned(OrgTransaction tx, String userid, String mobile) throws SQLException {
        tx.markLearned(userid, tx.now());
        tx.clearMobile(mobile, userid);
        // 0 before the enterprise's first run: no run is older than the stamp
        tx.markResolved(userid, tx.currentRun().orElse(0L));
    }

    /** WeCom confirmed that the stored holder still has the number: it answers for another recheck period. */
    void confirm(String corpId, String userid) throws SQLException {
        // not part of any answer: no lock, no change
        writer.confirmLearned(corpId, userid, clock.millis());
    }

    /** WeCom knows nobody with the number any more: no stored member answers for it. */
    void forget(String corpId, String mobile) throws SQLException {
        write(corpId, "its recheck", tx -> tx.clearMobile(mobile, null) > 0);
    }

    private void write(String corpId, String what, OrgWriter.Work<Boolean> change) throws SQLException {
        // the enterprise lock, as a sync's apply takes it: the apply never writes back a row it read before this
        // write, and it knows from the stamp that this member was learned during its run. This node's cached
        // answers go at once after the commit: the caller may look the number up right after
        writer.write(corpId, OrgChange.Source.RESOLVE, change)
                .orElseThrow(() -> new UnknownEnterpriseException(
                        corpId, "enterprise " + corpId + " was removed while " + what + " ran; nothing was stored"));
    }
}
