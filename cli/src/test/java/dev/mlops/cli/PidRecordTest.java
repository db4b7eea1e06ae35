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
    void aContainersRecordKeepsItsContainerId() {
        PidRecord record = PidRecord.of("tracking-svc", ProcessHandle.current(), 8080, "http://127.0.0.1:8080",
                Path.of("/tmp/t.log")).inContainer("0123456789abcdef0123");
        record.write(pids);

        PidRecord read = PidRecord.read(pids, "tracking-svc").orElseThrow();

        assertThat(read.container()).contains("0123456789abcdef0123");
        assertThat(read.shortContainer()).isEqualTo("0123456789ab");
        assertThat(PidRecord.of("kafka", ProcessHandle.current(), 9092, "a", Path.of("k.log")).shortContainer())
                .isEqualTo("-");
    }

    @Test
    void aPidNowUsedByAnotherProcessIsNotMistakenForOurs() {
        long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        PidRecord recycled = new PidRecord("s3", ProcessHandle.current().pid(), started - 3_600_000, 9000, "x",
                Path.of("/tmp/s3.log"), java.util.Optional.empty());

        assertThat(recycled.liveProcess()).as("same pid, started an hour earlier: another process").isEmpty();
    }

    @Test
    void aMissingOrDamagedPidFileNamesNoProcess() throws Exception {
        assertThat(PidRecord.read(pids, "postgres")).isEmpty();
        Files.writeString(pids.resolve("postgres.pid"), "pid=not-a-number\n");
        assertThat(PidRecord.read(pids, "postgres")).isEmpty();
    }
}
