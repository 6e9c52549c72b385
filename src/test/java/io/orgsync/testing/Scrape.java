package io.orgsync.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One value from a node's {@code GET /metrics}, as Prometheus would scrape it. */
public final class Scrape {
    private Scrape() {}

    /** The sample {@code name} (with its labels as written, e.g. {@code x_total{kind="a"}}), summed over lines that start with it; 0 when absent. */
    public static double value(ApiNode node, String name) throws Exception {
        ApiNode.Response r = node.get("/metrics");
        if (r.status() != 200) {
            throw new AssertionError("/metrics answered " + r);
        }
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$")
                .matcher(r.text());
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }
}
