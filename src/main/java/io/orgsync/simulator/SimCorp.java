package io.orgsync.simulator;

import java.time.LocalDate;
import java.util.function.UnaryOperator;

/** One simulated enterprise: its secrets, its set-up (what each secret may read), and its current org. */
final class SimCorp {
    final String corpId;
    /** The app secret: an admin can reset it in WeCom's console, which the control API plays. */
    volatile String secret;
    /**
     * The contact-sync secret (the only one {@code user/list_id} accepts), its IP, the app's age
     * and range; replaced whole by the control API, as an admin changes them in WeCom's console.
     */
    volatile CorpSetup setup;
    /** The licensed member count; the getuserid failure rule is a share of it. */
    final int memberLimit;

    private volatile Org org;
    /** Told of every change, in order, while a callback URL is registered (CallbackControl). */
    volatile Changes changes;

    interface Changes {
        void changed(Org before, Org after, java.util.Map<String, String> renamed);
    }

    private LocalDate failureDay;
    private int getuseridFailures;

    SimCorp(String corpId, String secret, CorpSetup setup, int memberLimit, Org org) {
        this.corpId = corpId;
        this.secret = secret;
        this.setup = setup;
        this.memberLimit = memberLimit;
        this.org = org;
    }

    Org org() {
        return org;
    }

    /** Applies a change to the org as one step: a new snapshot or, on a bad change, none. */
    synchronized Org change(UnaryOperator<Org> change) {
        return change(change, java.util.Map.of());
    }

    /** As {@link #change(UnaryOperator)}; {@code renamed}: the userids the change renames, old to new. */
    synchronized Org change(UnaryOperator<Org> change, java.util.Map<String, String> renamed) {
        Org before = org;
        org = change.apply(org);
        Changes listener = changes;
        if (listener != null) {
            listener.changed(before, org, renamed);
        }
        return org;
    }

    /** True once today's getuserid failures passed the allowed share of the member limit. */
    synchronized boolean getuseridBlocked(LocalDate today, double failureRatio) {
        rollDay(today);
        return getuseridFailures > failureRatio * memberLimit;
    }

    synchronized int recordGetuseridFailure(LocalDate today) {
        rollDay(today);
        return ++getuseridFailures;
    }

    synchronized int getuseridFailures(LocalDate today) {
        rollDay(today);
        return getuseridFailures;
    }

    private void rollDay(LocalDate today) {
        if (!today.equals(failureDay)) {
            failureDay = today;
            getuseridFailures = 0;
        }
    }
}
