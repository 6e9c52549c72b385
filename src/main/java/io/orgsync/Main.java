package io.orgsync;

import io.orgsync.config.ConfigException;
import io.orgsync.simulator.SimulatorCommand;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code java -jar orgsync.jar <command> [options]}: finds the command and runs it. */
public final class Main {

    /** Runs a command; returns the process exit code (a long-running one blocks). */
    interface Runner {
        int run(Map<String, String> options) throws Exception;
    }

    /** One command of the jar. */
    record Command(String summary, String usage, Runner runner) {}

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put(
                "serve",
                new Command(
                        "run a node: HTTP API, admin console and (unless disabled) the scheduler",
                        ServeCommand.USAGE,
                        ServeCommand::run));
        COMMANDS.put(
                "demo",
                new Command(
                        "zero set-up tour: simulator, 3 enterprises, one sync each, sample lookups (--once to exit)",
                        DemoCommand.USAGE,
                        DemoCommand::run));
        COMMANDS.put(
                "migrate",
                new Command("apply the database schema and exit", MigrateCommand.USAGE, MigrateCommand::run));
        COMMANDS.put(
                "simulator",
                new Command(
                        "the WeCom and WeChat upstream simulator alone",
                        SimulatorCommand.USAGE,
                        SimulatorCommand::run));
    }

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    static int run(List<String> args) {
        if (args.isEmpty()) {
            // serve is the default command
            args = List.of("serve");
        }
        if (isHelp(args.get(0))) {
            System.out.println(overview());
            return 0;
        }
        Command command = COMMANDS.get(args.get(0));
        if (command == null) {
            System.err.println("Unknown command '" + args.get(0) + "'.\n\n" + overview());
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.stream().anyMatch(Main::isHelp)) {
            System.out.println(command.usage());
            return 0;
        }
        try {
            return command.runner().run(CommandLine.options(rest));
        } catch (ConfigException | io.orgsync.store.DatabaseUnavailableException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            System.err.println(args.get(0) + ": " + e.getMessage() + "\n\n" + command.usage());
            return 2;
        } catch (Exception e) {
            System.err.println(args.get(0) + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
    }

    private static String overview() {
        StringBuilder text = new StringBuilder("Usage: java -jar orgsync.jar <command> [options]\n\nCommands:\n");
        COMMANDS.forEach((name, c) -> text.append(String.format("  %-10s %s%n", name, c.summary())));
        text.append("\n'<command> --help' describes a command's options.");
        return text.toString();
    }
}
