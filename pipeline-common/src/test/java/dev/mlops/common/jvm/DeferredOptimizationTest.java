package dev.mlops.common.jvm;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DeferredOptimizationTest {

    @Test
    void aJvmOfThisRuntimeStartsWithTheHigherC2Thresholds() throws Exception {
        List<String> options = DeferredOptimization.options();
        assertThat(options).as("this runtime (%s) knows the flags", Runtime.version()).hasSize(4);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        DeferredOptimization.C2_THRESHOLDS.forEach((flag, value) ->
                assertThat(output).containsPattern("\\b" + flag + "\\s+= " + value + "\\s+\\{product\\} \\{command line\\}"));
    }
}
