package io.orgsync.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Reads raw setting values: a {@code -Dorgsync.x.y} system property wins over the
 * {@code ORGSYNC_X_Y} environment variable. Parse failures are collected, not thrown one by
 * one, so that an operator sees every mistake in one start-up attempt.
 */
final class SettingSource {
    private final Map<String, String> env;
    private final Properties props;
    private final List<String> problems = new ArrayList<>();

    SettingSource(Map<String, String> env, Properties props) {
        this.env = env;
        this.props = props;
    }

    static String propertyName(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** The raw value, blank treated as unset. */
    String raw(String variable) {
        String value = props.getProperty(propertyName(variable));
        if (value == null) {
            value = env.get(variable);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    String string(String variable, String fallback) {
        String value = raw(variable);
        return value == null ? fallback : value;
    }

    /** Like {@link #string} but the value is never echoed back in an error message. */
    String secret(String variable, int minLength) {
        String value = raw(variable);
        if (value != null && value.length() < minLength) {
            problem(variable, "must be at least " + minLength + " characters long");
            return null;
        }
        return value;
    }

    <T> T parsed(String variable, T fallback, String expectation, Function<String, T> parser) {
        String value = raw(variable);
        if (value == null) {
            return fallback;
        }
        try {
            T result = parser.apply(value);
            if (result != null) {
                return result;
            }
        } catch (RuntimeException ignored) {
            // reported below with the expectation, which says more than the parser's message
        }
        problem(variable, "'" + value + "' is not valid: expected " + expectation);
        return fallback;
    }

    int integer(String variable, int fallback, int min, int max) {
        return parsed(variable, fallback, "a whole number from " + min + " to " + max, v -> {
            int n = Integer.parseInt(v);
            return n >= min && n <= max ? n : null;
        });
    }

    double decimal(String variable, double fallback, double minExclusive, double maxInclusive) {
        return parsed(variable, fallback, "a number above " + minExclusive + " and at most " + maxInclusive, v -> {
            double d = Double.parseDouble(v);
            return d > minExclusive && d <= maxInclusive ? d : null;
        });
    }

    boolean bool(String variable, boolean fallback) {
        return parsed(variable, fallback, "true or false", v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        });
    }

    void problem(String variable, String message) {
        problems.add(variable + ": " + message);
    }

    void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
