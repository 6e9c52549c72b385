package io.orgsync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules and the dashboard's queries through Prometheus' own tools: promtool parses
 * the rules and runs their unit tests (docs/prometheus/orgsync-rules.test.yml), and parses every
 * dashboard query as a recording rule, so that a typo in either never reaches an operator.
 */
class PrometheusRulesTest {
    @BeforeAll
    static void promtool() {
        Promtool.require();
    }

    @Test
    void theRulesParse() throws Exception {
        Promtool.Result r = Promtool.run(null, "check", "rules", MonitoringFiles.RULES.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.output()
                        .contains(
                                "SUCCESS: " + MonitoringFiles.ruleExpressions().size() + " rules found"),
                r::toString);
    }

    @Test
    void theRulesPassTheirUnitTests() throws Exception {
        Promtool.Result r = Promtool.run(null, "test", "rules", MonitoringFiles.RULE_TESTS.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.output().contains("SUCCESS"), r::toString);
    }

    @Test
    void everyAlertIsTestedFiringAndSaysWhatToDo() throws Exception {
        Set<String> firedInTests = new TreeSet<>();
        for (JsonNode test : MonitoringFiles.YAML
                .readTree(MonitoringFiles.RULE_TESTS.toFile())
                .path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (check.path("exp_alerts").size() > 0) {
                    firedInTests.add(check.path("alertname").asText());
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode rule : MonitoringFiles.alertRules()) {
            String name = rule.path("alert").asText();
            if (!firedInTests.contains(name)) {
                problems.add(name + ": no unit test in which it fires");
            }
            if (!Set.of("critical", "warning")
                    .contains(rule.path("labels").path("severity").asText())) {
                problems.add(name + ": severity must be critical or warning");
            }
            for (String annotation : List.of("summary", "description")) {
                if (rule.path("annotations").path(annotation).asText().isBlank()) {
                    problems.add(name + ": no " + annotation);
                }
            }
        }
        assertEquals(List.of(), problems);
        Set<String> required = Set.of(
                "OrgsyncNodeDown",
                "OrgsyncDatabaseDown",
                "OrgsyncNodeFenced",
                "OrgsyncSyncFailed",
                "OrgsyncSyncRefused",
                "OrgsyncSyncStale",
                "OrgsyncTokenInvalidatedEarly",
                "OrgsyncResolveBudgetSpent",
                "OrgsyncEventsFailing",
                "OrgsyncEventsLagging",
                "OrgsyncSubscriptionLagging",
                "OrgsyncSubscriptionFailing");
        assertTrue(MonitoringFiles.ruleExpressions().keySet().containsAll(required), () -> "missing: " + required);
    }

    @Test
    void everyDashboardQueryParses(@TempDir Path dir) throws Exception {
        List<String> queries = MonitoringFiles.dashboardExpressions();
        assertTrue(queries.size() > 20, "dashboard queries: " + queries.size());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (String q : queries) {
            if (q.startsWith("label_values(")) {
                // a Grafana function: its argument is the selector to parse
                q = q.substring("label_values(".length(), q.lastIndexOf(','));
            }
            rules.append("      - record: dashboard_query_")
                    .append(n++)
                    .append('\n')
                    .append("        expr: ")
                    .append(MonitoringFiles.JSON.writeValueAsString(MonitoringFiles.asPromQl(q)))
                    .append('\n');
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        Promtool.Result r = Promtool.run(null, "check", "rules", file.toString());
        assertEquals(0, r.exit(), () -> r + "\n" + rules);
        assertFalse(r.output().contains("FAILED"), r::toString);
    }
}
