package dev.mlops.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @Test
    void noArgumentsAndHelpWordsMeanHelp() {
        assertThat(CommandLine.parse().command()).isEqualTo(CommandLine.Command.HELP);
        assertThat(CommandLine.parse("help").command()).isEqualTo(CommandLine.Command.HELP);
        assertThat(CommandLine.parse("--help").command()).isEqualTo(CommandLine.Command.HELP);
        assertThat(CommandLine.parse("run", "-h").command()).isEqualTo(CommandLine.Command.HELP);
    }

    @Test
    void runTakesASpecFileAndATimeoutInEitherSpelling() {
        CommandLine line = CommandLine.parse("run", "my-spec.json", "--timeout", "10m");
        assertThat(line.command()).isEqualTo(CommandLine.Command.RUN);
        assertThat(line.argument()).contains("my-spec.json");
        assertThat(line.timeout()).isEqualTo(Duration.ofMinutes(10));

        assertThat(CommandLine.parse("run", "--timeout=90s").timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(CommandLine.parse("run").argument()).isEmpty();
        assertThat(CommandLine.parse("run").timeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void downTakesPurgeAndStatusAnOptionalRunId() {
        assertThat(CommandLine.parse("down").flag("purge")).isFalse();
        assertThat(CommandLine.parse("down", "--purge").flag("purge")).isTrue();
        assertThat(CommandLine.parse("status").argument()).isEmpty();
        assertThat(CommandLine.parse("status", "run-42").argument()).contains("run-42");
    }

    @Test
    void upTakesContainersAndImagesAPushRegistryOrAnOutFolder() {
        assertThat(CommandLine.parse("up", "--containers").flag("containers")).isTrue();
        assertThat(CommandLine.parse("up").flag("containers")).isFalse();
        CommandLine images = CommandLine.parse("images", "--push", "127.0.0.1:5000");
        assertThat(images.command()).isEqualTo(CommandLine.Command.IMAGES);
        assertThat(images.option("push")).contains("127.0.0.1:5000");
        assertThat(CommandLine.parse("images", "--out=/tmp/images").option("out")).contains("/tmp/images");
        assertThatThrownBy(() -> CommandLine.parse("images", "--registry", "x"))
                .hasMessage("'images' has no option --registry (it takes --out, --push)");
    }

    @Test
    void anUnknownCommandIsAUsageErrorThatShowsTheUsage() {
        assertThatThrownBy(() -> CommandLine.parse("deploy-everything"))
                .isInstanceOfSatisfying(UsageException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("unknown command 'deploy-everything'");
                    assertThat(e.showUsage()).isTrue();
                    assertThat(e.exitCode()).isEqualTo(2);
                });
    }

    @Test
    void anOptionTheCommandDoesNotHaveIsNamedWithTheOnesItHas() {
        assertThatThrownBy(() -> CommandLine.parse("down", "--force"))
                .isInstanceOf(UsageException.class)
                .hasMessage("'down' has no option --force (it takes --purge)");
        assertThatThrownBy(() -> CommandLine.parse("up", "--purge"))
                .hasMessage("'up' has no option --purge (it takes --containers, --observe)");
        assertThatThrownBy(() -> CommandLine.parse("token", "--purge"))
                .hasMessage("'token' has no option --purge");
    }

    @Test
    void tooManyArgumentsAndMissingOrBadValuesAreUsageErrors() {
        assertThatThrownBy(() -> CommandLine.parse("up", "now"))
                .hasMessage("'up' takes no argument, got: now");
        assertThatThrownBy(() -> CommandLine.parse("run", "a.json", "b.json"))
                .hasMessage("'run' takes at most 1 argument, got: a.json b.json");
        assertThatThrownBy(() -> CommandLine.parse("run", "--timeout"))
                .hasMessage("--timeout needs a value");
        assertThatThrownBy(() -> CommandLine.parse("demo", "--timeout", "30"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("such as 90s, 30m or 1h; got '30'");
        assertThatThrownBy(() -> CommandLine.parse("run", "--timeout", "0m"))
                .hasMessageContaining("got '0m'");
    }
}
