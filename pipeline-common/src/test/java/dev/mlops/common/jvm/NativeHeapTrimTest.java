package dev.mlops.common.jvm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class NativeHeapTrimTest {

    @Test
    void aJvmOfThisRuntimeStartsWithTheOptionsAndTrimsItsHeap() throws Exception {
        List<String> options = NativeHeapTrim.options();
        if (!NativeHeapTrim.supported()) {
            assertThat(options).as("no option an older runtime (%s) would refuse", Runtime.version()).isEmpty();
            return;
        }
        assertThat(options).containsExactly(NativeHeapTrim.OPTION);

        String output = run(options, "-Xlog:trimnative", "-version");

        assertThat(output).contains("Periodic native trim enabled (interval: 5000 ms");
    }

    private static String run(List<String> options, String... more) throws IOException, InterruptedException {
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
