package dev.mlops.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The parsed command line: a command, its positional arguments, its flags ({@code --purge}) and options. */
record CommandLine(Command command, List<String> arguments, Set<String> flags, Map<String, String> options) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(15);

    enum Command {
        UP("up", 0, Set.of("observe", "containers"), Set.of()),
        DOWN("down", 0, Set.of("purge"), Set.of()),
        STATUS("status", 1, Set.of(), Set.of()),
        RUN("run", 1, Set.of(), Set.of("timeout", "dataset")),
        RETRY("retry", 1, Set.of(), Set.of("from", "timeout")),
        STOP("stop", 1, Set.of(), Set.of()),
        PROMOTE("promote", 2, Set.of(), Set.of("timeout")),
        SCHEDULE("schedule", 3, Set.of(), Set.of("cron", "timezone", "concurrency")),
        DEMO("demo", 0, Set.of(), Set.of("timeout")),
        OBSERVE("observe", 0, Set.of(), Set.of("scrape-interval")),
        TOKEN("token", 0, Set.of(), Set.of()),
        IMAGES("images", 0, Set.of(), Set.of("push", "out")),
        HELP("help", Integer.MAX_VALUE, Set.of(), Set.of());

        final String word;
        final int maxArguments;
        final Set<String> flags;
        final Set<String> options;

        Command(String word, int maxArguments, Set<String> flags, Set<String> options) {
            this.word = word;
            this.maxArguments = maxArguments;
            this.flags = flags;
            this.options = options;
        }

        static Optional<Command> of(String word) {
            return Arrays.stream(values()).filter(c -> c.word.equals(word)).findFirst();
        }
    }

    static CommandLine parse(String... args) {
        if (args.length == 0 || isHelp(args[0])) {
            return new CommandLine(Command.HELP, List.of(), Set.of(), Map.of());
        }
        Command command = Command.of(args[0]).orElseThrow(() -> new UsageException("unknown command '" + args[0] + "'", true));
        List<String> arguments = new ArrayList<>();
        Set<String> flags = new HashSet<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (isHelp(arg)) {
                return new CommandLine(Command.HELP, List.of(), Set.of(), Map.of());
            }
            if (!arg.startsWith("--") || arg.equals("--")) {
                arguments.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (command.flags.contains(name) && value == null) {
                flags.add(name);
            } else if (command.options.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                options.put(name, value);
            } else {
                throw new UsageException("'" + command.word + "' has no option --" + name + accepted(command));
            }
        }
        if (arguments.size() > command.maxArguments) {
            throw new UsageException("'" + command.word + "' takes " + (command.maxArguments == 0 ? "no argument"
                    : "at most " + command.maxArguments + " argument") + ", got: " + String.join(" ", arguments));
        }
        CommandLine line = new CommandLine(command, List.copyOf(arguments), Set.copyOf(flags), Map.copyOf(options));
        // a bad value is a usage error now, not after the stack started
        line.timeout();
        line.scrapeInterval();
        return line;
    }

    Optional<String> argument() {
        return arguments.isEmpty() ? Optional.empty() : Optional.of(arguments.get(0));
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    Duration timeout() {
        String value = options.get("timeout");
        return value == null ? DEFAULT_TIMEOUT : Durations.parse("--timeout", value);
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    Duration scrapeInterval() {
        String value = options.get("scrape-interval");
        return value == null ? DEFAULT_SCRAPE_INTERVAL : Durations.parse("--scrape-interval", value);
    }

    private static boolean isHelp(String arg) {
        return arg.equals("help") || arg.equals("--help") || arg.equals("-h");
    }

    private static String accepted(Command command) {
        Set<String> all = new HashSet<>(command.flags);
        all.addAll(command.options);
        return all.isEmpty() ? "" : " (it takes " + all.stream().sorted().map(o -> "--" + o)
                .collect(Collectors.joining(", ")) + ")";
    }
}
