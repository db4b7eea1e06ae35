package dev.mlops.train.service;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.common.text.Text;
import dev.mlops.model.estimator.HyperParams;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * A grid search's scored candidates in the artifact store, at
 * {@code runs/<runId>/train/checkpoint/attempt-<n>/scores.json}: one object holding every candidate scored so far,
 * rewritten at most once per interval as groups finish (and once at the end), so a search that scores a group
 * every few hundred milliseconds costs a put per interval, not one per candidate. The object carries a fingerprint
 * of the grid, folds, seed and training data; a checkpoint with another fingerprint, or one that cannot be read, is
 * ignored and the search starts again. Keeping is best effort: a put that fails is logged and the search goes on.
 */
public final class StoredCheckpoint implements ScoreCheckpoint {

    private static final Logger LOG = Logger.getLogger(StoredCheckpoint.class);
    private static final String FORMAT = "grid-checkpoint-v1";

    /** What is stored: the fingerprint, when the interrupted search first started, and each scored candidate. */
    record Saved(String fingerprint, long startedAtMillis, List<Entry> scored) {
    }

    record Entry(int candidate, double[] foldScores, double meanFitSeconds) {
    }

    private final ArtifactStore store;
    private final String runId;
    private final String path;
    private final String fingerprint;
    private final List<? extends HyperParams> candidates;
    private final int folds;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<Integer, CandidateScore> restored;
    private final long startedAtMillis;
    private final TreeMap<Integer, CandidateScore> scored = new TreeMap<>();
    private long lastWriteAt;
    private boolean unsaved;
    private int writes;
    private long writeNanos;

    private StoredCheckpoint(ArtifactStore store, String runId, int attempt, String fingerprint,
                             List<? extends HyperParams> candidates, int folds, Duration interval, LongSupplier nanoClock) {
        this.store = store;
        this.runId = runId;
        this.path = "train/checkpoint/attempt-" + attempt + "/scores.json";
        this.fingerprint = fingerprint;
        this.candidates = candidates;
        this.folds = folds;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        Saved saved = load();
        this.restored = saved == null ? Map.of() : toScores(saved);
        this.startedAtMillis = saved == null ? System.currentTimeMillis() : saved.startedAtMillis();
        this.scored.putAll(restored);
        this.lastWriteAt = nanoClock.getAsLong();
    }

    /**
     * The checkpoint of the train stage's search of {@code candidates} on {@code training} for the input event's run
     * and attempt, loaded from the store if one was kept.
     */
    public static StoredCheckpoint open(ArtifactStore store, StageEvent input, TrainingSet training,
                                        List<? extends HyperParams> candidates, int folds, long seed, Duration interval) {
        return open(store, input.runId(), input.attempt(), fingerprint(input, training, candidates, folds, seed),
                candidates, folds, interval);
    }

    /** The fingerprint of the train stage's search of {@code candidates} on {@code training} for the input event. */
    public static String fingerprint(StageEvent input, TrainingSet training, List<? extends HyperParams> candidates,
                                     int folds, long seed) {
        Map<String, String> inputUris = new TreeMap<>();
        for (String name : List.of(TrainingInputs.X_TRAIN, TrainingInputs.Y_TRAIN, TrainingInputs.PREPROCESSOR)) {
            inputUris.put(name, String.valueOf(input.artifacts().get(name)));
        }
        return fingerprint(candidates, folds, seed, inputUris, training);
    }

    /** The checkpoint of a search of {@code candidates} for this run and attempt, loaded from the store if any. */
    public static StoredCheckpoint open(ArtifactStore store, String runId, int attempt, String fingerprint,
                                        List<? extends HyperParams> candidates, int folds, Duration interval) {
        return new StoredCheckpoint(store, runId, attempt, fingerprint, candidates, folds, interval, System::nanoTime);
    }

    /**
     * Identifies a search: the same candidates in the same order, folds and seed on the same data (the input
     * artifacts' URIs and the training rows themselves) score the same, so only such a checkpoint may be resumed.
     */
    public static String fingerprint(List<? extends HyperParams> candidates, int folds, long seed,
                                     Map<String, String> inputUris, TrainingSet data) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String shape = Json.write(List.of(FORMAT, candidates.stream().map(HyperParams::asSklearnParams).toList(),
                folds, seed, new TreeMap<>(inputUris), data.classLabels(), data.featureNames()));
        digest.update(shape.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < data.rows(); i++) {
            ByteBuffer row = ByteBuffer.allocate(Long.BYTES * (data.x()[i].length + 1));
            for (double value : data.x()[i]) {
                row.putLong(Double.doubleToLongBits(value));
            }
            row.putLong(data.regression() ? Double.doubleToLongBits(data.values()[i]) : data.y()[i]);
            digest.update(row.array());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public Map<Integer, CandidateScore> restored() {
        return restored;
    }

    /** When the search of this run and attempt first started: the timestamp of its metric history. */
    public long startedAtMillis() {
        return startedAtMillis;
    }

    @Override
    public synchronized void scored(Map<Integer, CandidateScore> group) {
        scored.putAll(group);
        unsaved = true;
        if (nanoClock.getAsLong() - lastWriteAt >= intervalNanos) {
            write();
        }
    }

    @Override
    public synchronized void flush() {
        if (unsaved) {
            write();
        }
    }

    /** Puts made and the time they took, for the log. */
    public synchronized String writeStats() {
        return String.format(Locale.ROOT, "%d writes in %.0f ms", writes, writeNanos / 1e6);
    }

    private void write() {
        long start = nanoClock.getAsLong();
        List<Entry> entries = scored.entrySet().stream()
                .map(e -> new Entry(e.getKey(), e.getValue().foldScores(), e.getValue().meanFitSeconds())).toList();
        try {
            store.put(runId, path, Json.write(new Saved(fingerprint, startedAtMillis, entries))
                    .getBytes(StandardCharsets.UTF_8), "application/json");
            unsaved = false;
        } catch (RuntimeException e) {
            LOG.warnf("run %s: grid checkpoint not kept (the search goes on): %s", runId, Text.quote(e.getMessage()));
        }
        lastWriteAt = nanoClock.getAsLong();
        writes++;
        writeNanos += lastWriteAt - start;
    }

    private Saved load() {
        URI uri = ArtifactUri.forRun(store.bucket(), runId, path).toUri();
        Saved saved;
        try {
            if (!store.exists(uri)) {
                return null;
            }
            saved = Json.read(new String(store.read(uri), StandardCharsets.UTF_8), Saved.class);
        } catch (RuntimeException e) {
            LOG.warnf("run %s: grid checkpoint %s ignored, unreadable: %s", runId, uri, Text.quote(e.getMessage()));
            return null;
        }
        String problem = problem(saved);
        if (problem != null) {
            LOG.warnf("run %s: grid checkpoint %s ignored: %s", runId, uri, problem);
            return null;
        }
        LOG.infof("run %s: resuming the grid search from %d scored candidates of %d", runId, saved.scored().size(),
                candidates.size());
        return saved;
    }

    private String problem(Saved saved) {
        if (!fingerprint.equals(saved.fingerprint())) {
            return "it is the checkpoint of another grid, folds, seed or training data";
        }
        if (saved.scored() == null) {
            return "it lists no candidates";
        }
        for (Entry entry : saved.scored()) {
            if (entry.candidate() < 0 || entry.candidate() >= candidates.size() || entry.foldScores() == null
                    || entry.foldScores().length != folds) {
                return "candidate " + entry.candidate() + " is not one of this grid's or has not " + folds
                        + " fold scores";
            }
        }
        return null;
    }

    private Map<Integer, CandidateScore> toScores(Saved saved) {
        Map<Integer, CandidateScore> scores = new TreeMap<>();
        for (Entry entry : saved.scored()) {
            scores.put(entry.candidate(), new CandidateScore(candidates.get(entry.candidate()), entry.foldScores(),
                    entry.meanFitSeconds()));
        }
        return Map.copyOf(scores);
    }
}
