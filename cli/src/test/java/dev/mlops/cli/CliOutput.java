package dev.mlops.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** What the CLI printed, as the user would read it: its standard output and its error output, kept apart. */
final class CliOutput {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A non-interactive {@code ./mlops} printing here; what earlier commands printed is cleared first. */
    Mlops mlops(Path home, Map<String, String> environment) {
        out.reset();
        err.reset();
        return new Mlops(home, environment, outStream(), printer(err), false);
    }

    /** For a part of the CLI that takes only the output stream. */
    PrintStream outStream() {
        return printer(out);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream printer(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
