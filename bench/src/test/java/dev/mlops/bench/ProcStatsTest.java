package dev.mlops.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStatsTest {

    @Test
    void residentMemoryIsTheVmRssLineInBytes() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmRSS:\t  204800 kB\nRssAnon:\t  150000 kB\n";

        assertThat(ProcStats.vmRssBytes(status)).isEqualTo(204_800L * 1024);
        assertThat(ProcStats.vmRssBytes("Name:\tzombie\nState:\tZ (zombie)\n")).isZero();
    }

    @Test
    void cpuTimeIsUserPlusSystemTicksCountedFromTheEndOfTheCommandName() {
        // a command name with a space and a bracket must not shift the fields
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 51234 0 12 0 1500 250 3 4 20 0 57 0 12345"
                + " 4000000000 51200 18446744073709551615 1 1 0 0 0 0 0 4096 16384 0 0 0 17 1 0 0 0 0 0";

        assertThat(ProcStats.cpuTicks(stat)).isEqualTo(1750);
    }

    @Test
    void theBenchmarkJvmItselfHasMemoryAndCpuTime() {
        long self = ProcessHandle.current().pid();

        assertThat(ProcStats.rssBytes(List.of(self))).isGreaterThan(10L * 1024 * 1024);
        assertThat(ProcStats.cpuSeconds(ProcStats.tree(self))).isGreaterThan(0);
    }
}
