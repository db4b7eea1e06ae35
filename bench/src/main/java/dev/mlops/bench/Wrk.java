package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** wrk (Debian's) with the reference's {@code wrk_post.lua}: POSTs the bodies of a file in turn, closed loop. */
final class Wrk {

    static final Path BINARY = Path.of("/usr/bin/wrk");

    /** wrk_post.lua's summary. */
    record Load(double requestsPerSecond, double p50Ms, double p99Ms, long requests, long errors) {

        static Load parse(String wrkOutput) {
            String line = wrkOutput.lines().filter(l -> l.startsWith("WRK_JSON ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("wrk printed no WRK_JSON summary:\n" + wrkOutput));
            JsonNode summary = Json.tree(line.substring("WRK_JSON ".length()));
            long errors = 0;
            for (JsonNode count : summary.path("errors")) {
                errors += count.asLong();
            }
            JsonNode latency = summary.path("latency_ms");
            return new Load(summary.path("requests_per_s").asDouble(), latency.path("p50").asDouble(),
                    latency.path("p99").asDouble(), summary.path("requests").asLong(), errors);
        }
    }

    private final Path script;

    Wrk(Path reference) {
        this.script = reference.resolve("wrk_post.lua");
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    Load run(URI url, Path bodies, int seconds, int connections) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(BINARY.toString(), "-t" + Math.min(2, connections),
                "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script.toString(), url.toString())
                .redirectErrorStream(true);
        builder.environment().put("WRK_BODIES", bodies.toString());
        Process wrk = builder.start();
        wrk.getOutputStream().close();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        return Load.parse(output);
    }
}
