package io.orgsync.simulator;

/**
 * How an enterprise is set up with WeCom today (docs/upstream.md, "WeCom set-ups"): whether it issued a
 * contact-sync secret and calls it from an IP trusted only after 2022-08-15 ({@code newIp}: its
 * detail reads answer 48009), whether its app was created before 2022-06-20
 * ({@code mobileVisible}) and what the app may see ({@code appRange}). Left out: the set-up of an
 * enterprise from before those changes, an app that sees everything.
 */
record CorpSetup(String contactSecret, Boolean newIp, Boolean mobileVisible, AppRange appRange) {
    CorpSetup {
        contactSecret = contactSecret == null ? null : Fields.required("contactSecret", contactSecret);
        newIp = Boolean.TRUE.equals(newIp);
        mobileVisible = !Boolean.FALSE.equals(mobileVisible);
        appRange = appRange == null ? AppRange.WHOLE : appRange;
        if (newIp && contactSecret == null) {
            throw new IllegalArgumentException(
                    "newIp needs a contactSecret: it is the contact-sync secret that is refused from a new IP");
        }
    }
}
