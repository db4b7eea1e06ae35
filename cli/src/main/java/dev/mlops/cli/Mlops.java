package dev.mlops.cli;

import dev.mlops.images.BuiltImage;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code ./mlops} command: runs the platform on this machine ({@code up}, {@code down}, {@code status},
 * {@code observe}) and
 * pipeline runs on it ({@code run}, {@code status RUN}, {@code demo}). The repository root comes from
 * {@code -Dmlops.home}.
 */
public final class Mlops {

    /** What the demo cannot do without; image-svc and deploy-svc only add the image and the serving URL. */
    private static final List<String> DEMO_NEEDS =
            List.of("tracking-svc", "ingest-svc", "preprocess-svc", "train-svc", "evaluate-svc");

    private final CliSettings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    public Mlops(Path home, Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        this.settings = CliSettings.of(home.toAbsolutePath().normalize(), env);
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("mlops.home", "."));
        // ./mlops says whether stdout is a terminal: it runs this JVM in the background of its own session
        boolean terminal = Boolean.parseBoolean(System.getProperty("mlops.terminal", String.valueOf(System.console() != null)));
        int code = new Mlops(home, System.getenv(), System.out, System.err, terminal).execute(args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command and returns the process exit code. */
    public int execute(String... args) {
        try {
            CommandLine line = CommandLine.parse(args);
            return switch (line.command()) {
                case UP -> up(line.flag("observe"), line.flag("containers"));
                case DOWN -> down(line.flag("purge"));
                case STATUS -> line.argument().map(this::runStatus).orElseGet(this::status);
                case RUN -> runCommand().run(line.argument(), line.option("dataset"), line.timeout());
                case RETRY -> runCommand().retry(line.argument().orElseThrow(() ->
                        new UsageException("'retry' needs the run id: ./mlops retry RUN_ID [--from STAGE]")),
                        line.option("from"), line.timeout());
                case STOP -> runCommand().stop(line.argument().orElseThrow(() ->
                        new UsageException("'stop' needs the run id: ./mlops stop RUN_ID", false)));
                case PROMOTE -> {
                    if (line.arguments().size() != 2) {
                        throw new UsageException("'promote' needs the model and the version: ./mlops promote MODEL"
                                + " VERSION", false);
                    }
                    yield runCommand().promote(line.arguments().get(0), line.arguments().get(1), line.timeout());
                }
                case SCHEDULE -> new ScheduleCommand(new LocalStack(settings), out).execute(line.arguments(),
                        line.options());
                case DEMO -> demo(line);
                case OBSERVE -> observe(line.scrapeInterval());
                case TOKEN -> token();
                case IMAGES -> images(line.option("push"), line.option("out"));
                case HELP -> help();
            };
        } catch (UsageException e) {
            err.println("mlops: " + e.getMessage());
            if (e.showUsage()) {
                err.println();
                err.print(Usage.TEXT);
            } else {
                err.println("./mlops help lists the commands and their options");
            }
            return e.exitCode();
        } catch (CliException e) {
            err.println("mlops: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            err.println("mlops: " + e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
            return 1;
        }
    }

    private int help() {
        out.print(Usage.TEXT);
        return 0;
    }

    private int up(boolean observe, boolean containers) {
        LocalStack stack = new LocalStack(settings);
        new StackStarter(stack, out).up(containers);
        if (observe) {
            new Observer(stack, out).observe(CommandLine.DEFAULT_SCRAPE_INTERVAL);
        }
        out.println();
        printStack(stack);
        return 0;
    }

    /** Builds every service image into the registry (--push, else the running one) or as tarballs (--out). */
    private int images(Optional<String> push, Optional<String> outFolder) {
        if (push.isPresent() && outFolder.isPresent()) {
            throw new UsageException("--push REGISTRY and --out FOLDER are alternatives: push to a registry, or write"
                    + " tarballs");
        }
        LocalStack stack = new LocalStack(settings);
        Optional<String> registry = push.or(() -> outFolder.isPresent() ? Optional.empty() : stack.imageRegistry());
        Path folder = outFolder.map(f -> Path.of(f).toAbsolutePath().normalize()).orElse(settings.state().images());
        long start = System.nanoTime();
        Map<String, BuiltImage> images = new ImageBuilds(settings, out).all(registry, folder);
        out.println();
        images.forEach((module, image) -> out.println(ImageBuilds.line(module, image)));
        out.println(images.size() + " images in " + Durations.format(Duration.ofNanos(System.nanoTime() - start)));
        out.println();
        String podman = podmanCommand(stack);
        String version = ContainerImages.version();
        if (registry.isPresent()) {
            out.println("run one:  " + podman + " run --rm --network host" + (registry.get().startsWith("127.")
                    ? " --tls-verify=false" : "") + " " + registry.get() + "/mlops/tracking-svc:" + version);
        } else {
            out.println("run one:  " + podman + " load -i " + folder.resolve("tracking-svc.tar") + " && " + podman
                    + " run --rm --network host mlops/tracking-svc:" + version);
        }
        out.println("          (a service needs the stack's addresses and credentials:"
                + " ./mlops up --containers runs all seven with them)");
        return 0;
    }

    /** podman with the configuration this machine needs (runc, ulimits), as the user can type it. */
    private static String podmanCommand(LocalStack stack) {
        StringBuilder command = new StringBuilder();
        stack.podman().environment().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> command.append(e.getKey()).append('=').append(e.getValue()).append(' '));
        return command.append("podman").toString();
    }

    /** Prints the API token alone, for scripts: {@code curl -H "Authorization: Bearer $(./mlops token)"}. */
    private int token() {
        LocalStack stack = new LocalStack(settings);
        out.println(stack.apiToken().orElseThrow(() -> new CliException("no API token yet: ./mlops up generates one"
                + " (in " + settings.state().credentials() + "), or set MLOPS_API_TOKEN")));
        return 0;
    }

    private int observe(Duration scrapeInterval) {
        new Observer(new LocalStack(settings), out).observe(scrapeInterval);
        return 0;
    }

    private void printStack(LocalStack stack) {
        out.print(StackStatus.table(stack));
        out.println();
        out.println("state folder: " + settings.state().root());
        out.println("logs:         " + settings.state().logs());
        out.println("datasets:     " + settings.ingestFileRoots().replace(",", ", ")
                + " (copy file: datasets into one of these)");
        out.println("credentials:  " + settings.state().credentials() + " (owner only)");
        out.println("tracking API: " + stack.trackingUrl() + " (bearer token: ./mlops token)");
        out.println("web UI:       " + RunView.webUi(stack.trackingUrl()) + " (sign in with ./mlops token)");
        List<String> notBuilt = ServiceModule.ALL.stream().filter(s -> !s.isBuilt(settings.home()))
                .map(ServiceModule::name).toList();
        if (!notBuilt.isEmpty()) {
            Path buildLog = settings.state().log("build");
            out.println("not built, so not started: " + String.join(", ", notBuilt)
                    + (Files.exists(buildLog) ? " (the last build's log: " + buildLog + ")" : ""));
        }
    }

    private int down(boolean purge) {
        new StackStopper(new LocalStack(settings), out).down(purge);
        return 0;
    }

    private int status() {
        printStack(new LocalStack(settings));
        return 0;
    }

    private int runStatus(String runId) {
        return runCommand().status(runId);
    }

    private RunCommand runCommand() {
        return new RunCommand(new LocalStack(settings), out, terminal);
    }

    /** up, then the default pipeline; stops after evaluate while the image and deploy services are not built. */
    private int demo(CommandLine line) {
        LocalStack stack = new LocalStack(settings);
        new StackStarter(stack, out).up();
        out.println();
        printStack(stack);
        out.println();
        List<String> missing = DEMO_NEEDS.stream().filter(name -> stack.running(name).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new CliException("the demo needs " + String.join(", ", missing) + " running, and they are not"
                    + " (not built?): build with ./mvnw -q package -DskipTests, then ./mlops demo");
        }
        String spec = "{}";
        if (stack.running("image-svc").isEmpty() || stack.running("deploy-svc").isEmpty()) {
            spec = "{\"deploy\": {\"target\": \"none\"}}";
            out.println("image-svc and deploy-svc are not both running: this demo ends after evaluate"
                    + " (pipeline spec " + spec + ")");
        }
        return runCommand().startAndFollow(spec, line.timeout());
    }
}
