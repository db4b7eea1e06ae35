package dev.mlops.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The end of a log file, for error messages. */
final class Logs {

    private static final int MAX_BYTES = 256 * 1024;
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more)");
    /** What podman's k8s-file log driver puts before each line of a container's output. */
    private static final Pattern CONTAINER_LOG_PREFIX = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\S+ (stdout|stderr) [FP] ");

    private Logs() {
    }

    /** The last {@code lines} lines written after byte offset {@code from}, without stack frames, indented. */
    static String tail(Path log, long from, int lines) {
        if (!Files.isRegularFile(log)) {
            return "    (no log was written)";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, file.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) Math.max(0, file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            // stack frames crowd out what matters: the messages and their "Caused by" lines
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines()
                    .map(l -> CONTAINER_LOG_PREFIX.matcher(l).replaceFirst(""))
                    .filter(l -> !STACK_FRAME.matcher(l).find()).toList();
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return last.isEmpty() ? "    (the log is empty)" : last.stream().map(l -> "    " + l).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "    (could not read " + log + ": " + e.getMessage() + ")";
        }
    }
}
