package dev.mlops.testing;

import dev.mlops.common.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Load-test request bodies as the reference's {@code make_wrk_bodies.py} writes them for {@code wrk_post.lua}: one
 * {@code {"instances": [...]}} document per line, request k holding records k*n .. k*n+n-1, wrapping around.
 */
public final class InstancesBodies {

    private InstancesBodies() {
    }

    /** Writes {@code count} bodies of {@code perRequest} records each to {@code file}; returns the file. */
    public static Path write(Path file, List<Map<String, Object>> records, int perRequest, int count)
            throws IOException {
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < perRequest; i++) {
                rows.add(records.get((k * perRequest + i) % records.size()));
            }
            lines.add(Json.write(Map.of("instances", rows)));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, lines);
    }
}
