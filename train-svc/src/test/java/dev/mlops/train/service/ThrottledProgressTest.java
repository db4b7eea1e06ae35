package dev.mlops.train.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class ThrottledProgressTest {

    private final AtomicLong clock = new AtomicLong();
    private final List<String> sent = new ArrayList<>();
    private final ThrottledProgress progress = new ThrottledProgress((done, total) -> sent.add(done + "/" + total),
            Duration.ofMillis(250), clock::get);

    @Test
    void sendsTheFirstReportThenAtMostOnePerIntervalAndAlwaysTheLast() {
        progress.progress(3, 108);
        clock.addAndGet(Duration.ofMillis(100).toNanos());
        progress.progress(6, 108);
        progress.progress(9, 108);
        clock.addAndGet(Duration.ofMillis(150).toNanos());
        progress.progress(12, 108);
        clock.addAndGet(Duration.ofMillis(10).toNanos());
        progress.progress(108, 108);

        assertThat(sent).containsExactly("3/108", "12/108", "108/108");
    }

    @Test
    void neverGoesBackwards() {
        progress.progress(6, 10);
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        progress.progress(3, 10);

        assertThat(sent).containsExactly("6/10");
    }

    @Test
    void aReportThatCannotBeSentDoesNotStopTheWork() {
        ThrottledProgress failing = new ThrottledProgress((done, total) -> {
            sent.add(done + "/" + total);
            throw new IllegalStateException("emitter closed");
        }, Duration.ofMillis(250), clock::get);

        assertThatCode(() -> {
            failing.progress(1, 2);
            failing.progress(2, 2);
        }).doesNotThrowAnyException();
        assertThat(sent).containsExactly("1/2", "2/2");
    }
}
