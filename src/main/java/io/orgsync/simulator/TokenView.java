package io.orgsync.simulator;

import java.util.List;

/**
 * What one token may read of its enterprise (docs/upstream.md, "WeCom set-ups"). The contact-sync
 * secret reads the whole company with every field, unless it is called from a new IP, where only
 * {@code user/list_id} and {@code department/simplelist} answer. An app reads within its visible
 * range, without the private fields when it was created after 2022-06-20; a member flagged
 * {@code outsideAppRange} is hidden from it too.
 */
final class TokenView {
    final boolean contact;
    final CorpSetup setup;
    final Org org;

    TokenView(SimToken token, SimCorp corp) {
        this.contact = token.kind == SimToken.Kind.WECOM_CONTACT;
        this.setup = corp.setup;
        this.org = corp.org();
    }

    /** The detail reads (department/list and /get, user/list, /simplelist and /get) answer 48009. */
    boolean refusedAsNewIp() {
        return contact && setup.newIp();
    }

    boolean mobilesVisible() {
        return contact || setup.mobileVisible();
    }

    boolean seesDepartment(int id) {
        return contact || setup.appRange().seesDepartment(org, id);
    }

    /** False for a member flagged outside the app, whose reads answer 50002 rather than 60011. */
    boolean seesFlagged(SimMember m) {
        return contact || !m.outsideAppRange();
    }

    boolean seesMember(SimMember m) {
        return seesFlagged(m) && (contact || setup.appRange().seesMember(org, m));
    }

    /** Every department this token may list, parents before children. */
    List<SimDepartment> departments() {
        return contact ? org.subtree(1) : setup.appRange().visibleDepartments(org);
    }

    /** Answers differ per view: part of the key they are cached under with the org snapshot. */
    String cacheKey() {
        return contact ? "contact" : "app " + setup.mobileVisible() + " " + setup.appRange();
    }
}
