package io.orgsync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value}, {@code --name=value} and bare {@code --flag} (meaning "true"). */
final class CommandLine {
    private CommandLine() {}

    static Map<String, String> options(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "': options look like --name value");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            if (eq >= 0) {
                options.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                options.put(body, args.get(++i));
            } else {
                options.put(body, "true");
            }
        }
        return options;
    }
}
