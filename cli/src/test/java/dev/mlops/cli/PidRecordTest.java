package dev.mlops.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PidRecordTest {

    @TempDir
    Path pids;

    @Test
    void aRecordOfALiveProcessReadsBackAndFindsIt() {
        PidRecord record = PidRecord.of("kafka", ProcessHandle.current(), 9092, "127.0.0.1:9092", Path.of("/tmp/k.log"));
        record.write(pids);

        PidRecord read = PidRecord.read(pids, "kafka").orElseThrow();

        assertThat(read).isEqualTo(record);
        assertThat(read.liveProcess()).map(ProcessHandle::pid).contains(ProcessHandle.current().pid());
    }

    @Test
    void aPidNowUsedByAnotherProcessIsNotMistakenForOurs() {
        long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        PidRecord recycled = new PidRecord("s3", ProcessHandle.current().pid(), started - 3_600_000, 9000, "x",
                Path.of("/tmp/s3.log"));

        assertThat(recycled.liveProcess()).as("same pid, started an hour earlier: another process").isEmpty();
    }

    @Test
    void aMissingOrDamagedPidFileNamesNoProcess() throws Exception {
        assertThat(PidRecord.read(pids, "postgres")).isEmpty();
        Files.writeString(pids.resolve("postgres.pid"), "pid=not-a-number\n");
        assertThat(PidRecord.read(pids, "postgres")).isEmpty();
    }
}
