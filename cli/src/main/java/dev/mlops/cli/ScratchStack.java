package dev.mlops.cli;

import dev.mlops.stack.launch.Ports;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stack of its own for the end-to-end tests and the benchmark: {@code ./mlops up} with a scratch state folder,
 * every port free, fresh credentials and nothing external (no MLOPS_DB_URL, no MLOPS_TRACKING_URL).
 */
public final class ScratchStack {

    private static final List<String> INFRA_PORTS = List.of("MLOPS_KAFKA_PORT", "MLOPS_KAFKA_CONTROLLER_PORT",
            "MLOPS_S3_PORT", "MLOPS_PG_PORT", "MLOPS_SERVING_PORT", "MLOPS_PROMETHEUS_PORT", "MLOPS_REGISTRY_PORT");

    private ScratchStack() {
    }

    /** Every port variable {@code ./mlops} reads. */
    static List<String> portVariables() {
        List<String> variables = new ArrayList<>(INFRA_PORTS);
        ServiceModule.ALL.forEach(service -> variables.add(service.portVariable()));
        return variables;
    }

    /** Every service {@code ./mlops up} starts, in start order, with the variable that holds its port. */
    public static Map<String, String> servicePortVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        ServiceModule.ALL.forEach(service -> variables.put(service.name(), service.portVariable()));
        return variables;
    }

    /**
     * The environment for a scratch stack in {@code state}, emptied first; what an interrupted earlier one left
     * running there is stopped ({@code ./mlops down}) before that.
     *
     * @param name what the credentials start with, e.g. {@code e2e} or {@code bench}
     */
    public static Map<String, String> environment(Path home, Path state, Map<String, String> inherited, String name) {
        Map<String, String> env = new HashMap<>(inherited);
        env.put("MLOPS_STATE_DIR", state.toString());
        if (Files.isDirectory(state)) {
            new Mlops(home, env, new PrintStream(PrintStream.nullOutputStream()), System.err, false).execute("down");
        }
        Folders.deleteRecursively(state);
        // Ports.free() may hand out a port it gave before (the kernel reuses a released one): every server its own
        Set<Integer> taken = new HashSet<>();
        for (String port : portVariables()) {
            int free = Ports.free();
            while (!taken.add(free)) {
                free = Ports.free();
            }
            env.put(port, String.valueOf(free));
        }
        env.put("MLOPS_S3_ACCESS_KEY", name + "-access");
        env.put("MLOPS_S3_SECRET_KEY", name + "-secret-" + System.nanoTime());
        env.put("MLOPS_API_TOKEN", name + "-token-" + System.nanoTime());
        env.remove("MLOPS_DB_URL");
        env.remove("MLOPS_TRACKING_URL");
        return env;
    }
}
