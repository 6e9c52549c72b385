package io.orgsync;

import io.orgsync.enterprise.Access;
import io.orgsync.simulator.Simulator;
import io.orgsync.sync.Run;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What {@code orgsync demo} prints about its syncs: the progress bars while they run, the summary
 * table after, and the curl lines to try. Apart from DemoCommand, which sets the demo up
 * and checks its answers, because this is presentation only.
 */
final class DemoReport {
    private DemoReport() {}

    /** One sync of each enterprise, in parallel, drawing a progress bar per enterprise. */
    static List<Run> syncAll(Node node, PrintStream out) throws Exception {
        boolean tty = System.console() != null;
        Map<String, int[]> progress = new ConcurrentHashMap<>();
        DemoSetup.ALL.forEach(c -> progress.put(c.corpId(), new int[] {0, c.departments()}));
        Object lock = new Object();
        int[] printedQuarter = new int[DemoSetup.ALL.size()];
        if (tty) {
            DemoSetup.ALL.forEach(c -> out.println());
        }
        ExecutorService pool = Executors.newFixedThreadPool(DemoSetup.ALL.size());
        try {
            List<Future<Run>> futures = new ArrayList<>();
            for (DemoSetup.Corp c : DemoSetup.ALL) {
                futures.add(pool.submit(() -> node.sync(c.corpId(), (corpId, done, total) -> {
                    synchronized (lock) {
                        progress.put(corpId, new int[] {done, total});
                        if (tty) {
                            out.print("\033[" + DemoSetup.ALL.size() + "A");
                            for (DemoSetup.Corp d : DemoSetup.ALL) {
                                int[] p = progress.get(d.corpId());
                                out.printf(
                                        "\r\033[2K  %-14s %s %3d/%d departments%n",
                                        d.corpId(), bar(p[0], p[1]), p[0], p[1]);
                            }
                        } else {
                            int i = DemoSetup.ALL.indexOf(DemoSetup.ALL.stream()
                                    .filter(d -> d.corpId().equals(corpId))
                                    .findFirst()
                                    .orElseThrow());
                            int quarter = done * 4 / Math.max(1, total);
                            if (quarter > printedQuarter[i]) {
                                printedQuarter[i] = quarter;
                                out.printf("  %-14s %s %3d/%d departments%n", corpId, bar(done, total), done, total);
                            }
                        }
                    }
                })));
            }
            List<Run> runs = new ArrayList<>();
            for (Future<Run> f : futures) {
                runs.add(f.get());
            }
            return runs;
        } finally {
            pool.shutdown();
        }
    }

    private static String bar(int done, int total) {
        int width = 30;
        int filled = total == 0 ? width : done * width / total;
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    static void summary(Node node, List<Run> runs, PrintStream out) throws Exception {
        out.println();
        out.printf(
                "%-16s %-44s %11s %8s %15s %8s %-10s%n",
                "enterprise", "name", "departments", "members", "upstream calls", "seconds", "status");
        for (Run r : runs) {
            DemoSetup.Corp c = DemoSetup.ALL.stream()
                    .filter(d -> d.corpId().equals(r.corpId()))
                    .findFirst()
                    .orElseThrow();
            double seconds = (r.finishedAt() - r.startedAt()) / 1000.0;
            out.printf(
                    "%-16s %-44s %11d %8d %15d %8.1f %-10s%n",
                    r.corpId(),
                    c.name(),
                    r.departments(),
                    node.members.activeCount(r.corpId()),
                    r.upstreamCalls(),
                    seconds,
                    r.status() + (r.error() == null ? "" : ": " + r.error()));
        }
        out.println();
        out.println("What each set-up reads (GET /admin/api/enterprises, \"access\"; docs/setups.md):");
        for (Run r : runs) {
            out.printf(
                    "  %-16s %s%n",
                    r.corpId(), reads(node.enterprises().listing(r.corpId()).access()));
        }
        out.println();
    }

    /** One line saying what a set-up read at its last sync. */
    static String reads(Access a) {
        if (a == null) {
            return "not synced yet";
        }
        return (a.names() ? "names" : "ids only, no names") + "; mobiles "
                + (a.mobilesVisible() ? "visible" : "hidden (learned by resolve)") + "; "
                + (a.complete()
                        ? "every member, exact departures (contact-sync id lists)"
                        : a.wholeRange() ? "every member, through the app" : "only the app's partial range")
                + (a.complete() && !a.wholeRange() ? "; details within the app's partial range" : "");
    }

    static void curlLines(Simulator sim, String base, PrintStream out) {
        out.println("Try it:");
        out.println("  curl " + base + "/api/v1/members/by-mobile/<mobile from a member>");
        out.println("  curl -X POST " + base + "/api/v1/members/resolve -H 'Content-Type: application/json' \\");
        out.println("       -d '{\"corpId\":\"wwdemo-gamma\",\"mobile\":\"<a mobile from " + sim.baseUrl()
                + "/__sim/corps/wwdemo-gamma/export>\"}'");
        out.println("  curl -o code.jpg '" + base + "/api/v1/miniapps/" + DemoSetup.APP_ID
                + "/wxacode?scene=order%3D42&width=430'");
        out.println("  curl -H 'Authorization: Bearer " + DemoSetup.ADMIN_TOKEN + "' " + base + "/admin/api/jobs");
        out.println("  curl -X POST -H 'Authorization: Bearer " + DemoSetup.ADMIN_TOKEN + "' " + base
                + "/admin/api/jobs/wwdemo-alpha/pause");
        out.println("  curl -X POST -H 'Authorization: Bearer " + DemoSetup.ADMIN_TOKEN + "' '" + base
                + "/admin/api/jobs/wwdemo-alpha/trigger?force=true'");
        out.println("  curl " + base + "/health    curl " + base + "/metrics");
        out.println();
    }
}
