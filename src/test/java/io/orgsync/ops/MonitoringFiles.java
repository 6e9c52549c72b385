package io.orgsync.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert rules and the dashboard as the tests read them: their PromQL expressions, and the
 * metric names those use (PromQL has no Java parser here; what is not a metric is stripped:
 * strings, label matchers, ranges, grouping label lists, functions, keywords, numbers).
 */
final class MonitoringFiles {
    static final Path RULES = Path.of("docs/prometheus/orgsync-rules.yml");
    static final Path RULE_TESTS = Path.of("docs/prometheus/orgsync-rules.test.yml");
    static final Path DASHBOARD = Path.of("docs/grafana/orgsync.json");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** Grafana's label_values(metric, label): only the first argument is a metric. */
    private static final Pattern LABEL_VALUES =
            Pattern.compile("label_values\\(\\s*([^,()]*?)\\s*(?:,\\s*[A-Za-z_][A-Za-z0-9_]*)?\\s*\\)");

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "offset",
            "bool",
            "inf",
            "nan",
            "atan2");

    private MonitoringFiles() {}

    /** Alert name (or recording rule name) to its expression. */
    static Map<String, String> ruleExpressions() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("alert")
                        ? rule.path("alert").asText()
                        : rule.path("record").asText();
                out.put(name, rule.path("expr").asText());
            }
        }
        return out;
    }

    static List<JsonNode> alertRules() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    out.add(rule);
                }
            }
        }
        return out;
    }

    /** Every query of the dashboard: panel targets (rows' panels included) and template variables. */
    static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        List<String> out = new ArrayList<>();
        collectTargets(dashboard.path("panels"), out);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText("") : query.asText("");
            if (variable.path("type").asText().equals("query") && !text.isEmpty()) {
                out.add(text);
            }
        }
        return out;
    }

    private static void collectTargets(JsonNode panels, List<String> out) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    out.add(target.path("expr").asText());
                }
            }
            collectTargets(panel.path("panels"), out);
        }
    }

    /** Dashboard queries with Grafana's variables replaced, so that promtool can parse them. */
    static String asPromQl(String dashboardQuery) {
        return dashboardQuery
                .replace("$__rate_interval", "5m")
                .replace("$__interval", "1m")
                .replace("$job", "orgsync")
                .replace("$corp", ".*");
    }

    static Set<String> metricNames(String expression) {
        String s = STRING.matcher(expression).replaceAll(" ");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = LABEL_VALUES.matcher(s).replaceAll(m -> " " + Matcher.quoteReplacement(m.group(1)) + " ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            int before = m.start() - 1;
            // 15m, 1e3, $job: parts of numbers, durations and variables
            if (before >= 0
                    && (Character.isDigit(s.charAt(before)) || s.charAt(before) == '.' || s.charAt(before) == '$')) {
                continue;
            }
            int after = m.end();
            while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
                after++;
            }
            boolean function = after < s.length() && s.charAt(after) == '(';
            if (!function && !KEYWORDS.contains(word.toLowerCase())) {
                out.add(word);
            }
        }
        return out;
    }
}
