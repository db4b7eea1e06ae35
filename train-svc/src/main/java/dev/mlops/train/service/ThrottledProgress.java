package dev.mlops.train.service;

import dev.mlops.runtime.stage.StageWork.ProgressListener;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Passes progress on at most once per interval, and always the final report, so a grid whose candidates finish
 * in quick succession sends a few status events per second rather than one per candidate. A report that cannot be
 * sent is logged and dropped: progress is for watching a run, not a reason to abandon it.
 */
public final class ThrottledProgress implements ProgressListener {

    private static final Logger LOG = Logger.getLogger(ThrottledProgress.class);

    private final ProgressListener target;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long lastSentAt;
    private int lastDone = -1;

    public ThrottledProgress(ProgressListener target, Duration interval) {
        this(target, interval, System::nanoTime);
    }

    ThrottledProgress(ProgressListener target, Duration interval, LongSupplier nanoClock) {
        this.target = target;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized void progress(int done, int total) {
        if (done <= lastDone) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (done >= total || lastDone < 0 || now - lastSentAt >= intervalNanos) {
            lastSentAt = now;
            lastDone = done;
            try {
                target.progress(done, total);
            } catch (RuntimeException e) {
                LOG.warnf("progress %d/%d not reported: %s", done, total, e.toString());
            }
        }
    }
}
