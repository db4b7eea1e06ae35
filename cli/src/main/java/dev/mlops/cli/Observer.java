package dev.mlops.cli;

import dev.mlops.common.json.Json;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./mlops observe}: Prometheus (Debian's package, or any {@code prometheus} binary) scraping every service
 * of the local stack, configured from {@code infra/prometheus/prometheus.yml} with a {@code targets.json} of the
 * ports the stack runs on; then how to point a Grafana at it with the dashboards of {@code infra/grafana}.
 */
final class Observer {

    static final String PROMETHEUS = "prometheus";
    private static final String DEFAULT_SCRAPE_INTERVAL = "scrape_interval: 15s";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final LocalStack stack;
    private final CliSettings settings;
    private final StateDir state;
    private final PrintStream out;

    Observer(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.settings = stack.settings();
        this.state = settings.state();
        this.out = out;
    }

    /** Writes the scrape configuration and starts Prometheus unless it runs; a running one picks up new targets. */
    void observe(Duration scrapeInterval) {
        state.create();
        writeConfig(scrapeInterval);
        Optional<PidRecord> running = stack.running(PROMETHEUS);
        if (running.isPresent()) {
            out.println("prometheus is already running (pid " + running.get().pid() + ", " + running.get().address()
                    + "); its targets were rewritten from the stack's ports");
        } else {
            start();
        }
        printGrafanaHint();
    }

    private void writeConfig(Duration scrapeInterval) {
        Path template = settings.home().resolve("infra/prometheus/prometheus.yml");
        try {
            String config = Files.readString(template);
            if (!config.contains(DEFAULT_SCRAPE_INTERVAL)) {
                throw new CliException(template + " no longer sets '" + DEFAULT_SCRAPE_INTERVAL + "'");
            }
            Files.createDirectories(state.prometheusConfig());
            Files.writeString(state.prometheusConfig().resolve("prometheus.yml"),
                    config.replace(DEFAULT_SCRAPE_INTERVAL, "scrape_interval: " + scrapeInterval.toMillis() + "ms"));
            // written aside, then moved: Prometheus watches the file and must never read half of it
            Path targets = state.prometheusConfig().resolve("targets.json");
            Path next = state.prometheusConfig().resolve("targets.json.next");
            Files.writeString(next, Json.write(targets()));
            Files.move(next, targets, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the Prometheus configuration in " + state.prometheusConfig(), e);
        }
    }

    /** Every service at its port, and the served model behind deploy-svc's serving front. */
    private List<Map<String, Object>> targets() {
        List<Map<String, Object>> targets = new ArrayList<>();
        for (ServiceModule service : ServiceModule.ALL) {
            targets.add(target(service.name(), stack.port(service.name())));
        }
        targets.add(target("model-server", settings.servingPort()));
        return targets;
    }

    private static Map<String, Object> target(String service, int port) {
        return Map.of("targets", List.of(Network.HOST + ":" + port), "labels", Map.of("service", service));
    }

    private void start() {
        Path binary = binary().orElseThrow(() -> new CliException("Prometheus is not installed: install Debian's"
                + " package (apt-get install prometheus), or put a prometheus binary on the PATH, or set"
                + " MLOPS_PROMETHEUS_BIN; the scrape configuration is ready in " + state.prometheusConfig()));
        int port = settings.prometheusPort();
        if (!Network.isFree(port)) {
            throw new CliException("port " + port + " for prometheus (MLOPS_PROMETHEUS_PORT) is in use by another program");
        }
        Path log = state.log(PROMETHEUS);
        ProcessBuilder builder = new ProcessBuilder(binary.toString(),
                "--config.file=" + state.prometheusConfig().resolve("prometheus.yml"),
                "--storage.tsdb.path=" + state.prometheusData(),
                "--web.listen-address=" + Network.HOST + ":" + port)
                .directory(state.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        String address = url();
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            Process process = builder.start();
            PidRecord.of(PROMETHEUS, process.toHandle(), port, address, log).write(state.pids());
            awaitReady(process, log, logStart);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary, e);
        }
        out.println("prometheus ready at " + address + " (scraping every service; log " + log + ")");
    }

    private void awaitReady(Process process, Path log, long logStart) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/-/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                PidRecord.delete(state.pids(), PROMETHEUS);
                throw new CliException("prometheus exited with code " + process.exitValue() + "; the end of its log ("
                        + log + "):\n" + Logs.tail(log, logStart, 20));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for prometheus");
            }
            sleep();
        }
        throw new CliException("prometheus did not answer " + url() + "/-/ready within " + READY_TIMEOUT.toSeconds()
                + " s; ./mlops down stops it; its log: " + log);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for prometheus");
        }
    }

    String url() {
        return "http://" + Network.HOST + ":" + settings.prometheusPort();
    }

    private Optional<Path> binary() {
        Optional<String> configured = settings.get("MLOPS_PROMETHEUS_BIN");
        if (configured.isPresent()) {
            return Optional.of(Path.of(configured.get())).filter(Files::isExecutable);
        }
        String path = settings.get("PATH").orElse("/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, PROMETHEUS);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void printGrafanaHint() {
        Path grafana = settings.home().resolve("infra/grafana");
        out.println();
        out.println("Grafana: the dashboard \"Pipeline stages\" is " + grafana.resolve("dashboards/pipeline-stages.json"));
        out.println("  import it into a Grafana with a Prometheus datasource at " + url() + ", or start one provisioned:");
        out.println("  MLOPS_PROMETHEUS_URL=" + url() + " MLOPS_GRAFANA_DASHBOARDS=" + grafana.resolve("dashboards")
                + " GF_PATHS_PROVISIONING=" + grafana.resolve("provisioning") + " grafana-server");
    }
}
