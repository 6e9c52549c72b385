package io.orgsync;

import java.util.List;

/** What the demo sets up: its enterprises (as the simulator generates them), its mini-program, its admin token. */
final class DemoSetup {
    static final String ADMIN_TOKEN = "demo-admin-token-change-me";
    static final String APP_ID = "wxdemoapp";

    static final List<Corp> ALL = List.of(
            new Corp("wwdemo-alpha", "Alpha 科技", 30, 400, true, false),
            new Corp("wwdemo-beta", "Beta 物流", 45, 500, true, false),
            // set up the 2026 way: an app without mobiles, and a contact-sync secret on a new IP (docs/setups.md)
            new Corp("wwdemo-gamma", "Gamma 零售 (2026 set-up)", 60, 600, false, true));

    /** {@code contactSync}: the enterprise also gives its contact-sync secret, used from a new IP (48009). */
    record Corp(String corpId, String name, int departments, int members, boolean mobileVisible, boolean contactSync) {
        String secret() {
            return "demo-secret-" + corpId;
        }

        String contactSecret() {
            return contactSync ? "demo-contact-secret-" + corpId : null;
        }
    }

    private DemoSetup() {}
}
