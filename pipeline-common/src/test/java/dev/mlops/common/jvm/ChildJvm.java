package dev.mlops.common.jvm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A JVM of this Java runtime started with some options, to read back what it did with them. */
final class ChildJvm {

    private ChildJvm() {
    }

    /** The output of {@code java <options> -XX:+PrintFlagsFinal -version}, which must exit 0. */
    static String printFlagsFinal(List<String> options) throws Exception {
        return run(options, "-XX:+PrintFlagsFinal", "-version");
    }

    /** A JVM started with {@code options} runs with each of {@code flags} at its value, as set on the command line. */
    static void assertRunsWith(List<String> options, Map<String, ?> flags) throws Exception {
        assertThat(options).as("this runtime (%s) knows the flags", Runtime.version()).hasSize(flags.size());
        String output = printFlagsFinal(options);
        flags.forEach((flag, value) -> assertThat(output)
                .containsPattern("\\b" + flag + "\\s+= " + value + "\\s+\\{[a-z ]+\\} \\{command line\\}"));
    }

    /** The output of {@code java <options> <more>}, which must exit 0 within 30 s. */
    static String run(List<String> options, String... more) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
