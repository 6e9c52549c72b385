package io.orgsync.simulator;

import java.util.List;

/** One mini-program app: its secret and the pages it has published. */
record SimApp(String appId, String secret, List<String> pages) {
    static final String HOME_PAGE = "pages/index/index";

    SimApp {
        pages = List.copyOf(pages);
    }
}
