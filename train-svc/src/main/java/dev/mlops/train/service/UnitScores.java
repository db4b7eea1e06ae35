package dev.mlops.train.service;

import dev.mlops.common.json.Json;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactUri;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Scored units of a fanned-out search in the store, one JSON object each at
 * {@code runs/<runId>/train/checkpoint/attempt-<n>/units/<unit>.json}, next to the in-process search's
 * {@code scores.json}. A unit whose score is stored is never scored again.
 */
public final class UnitScores {

    private static final Logger LOG = Logger.getLogger(UnitScores.class);
    private static final String SUFFIX = ".json";

    private final ArtifactStore store;

    public UnitScores(ArtifactStore store) {
        this.store = store;
    }

    static String dir(int attempt) {
        return "train/checkpoint/attempt-" + attempt + "/units/";
    }

    public boolean exists(String runId, int attempt, String unit) {
        return store.exists(ArtifactUri.forRun(store.bucket(), runId, dir(attempt) + unit + SUFFIX).toUri());
    }

    public void put(String runId, int attempt, UnitScore score) {
        store.put(runId, dir(attempt) + score.unit() + SUFFIX, Json.write(score).getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    /** The scores stored for units not in {@code known} whose fingerprint is {@code fingerprint}, by unit. */
    public Map<String, UnitScore> readNew(String runId, int attempt, String fingerprint, Set<String> known) {
        Map<String, UnitScore> fresh = new HashMap<>();
        for (String path : store.list(runId, dir(attempt))) {
            String unit = path.substring(dir(attempt).length(), path.length() - SUFFIX.length());
            if (known.contains(unit) || !path.endsWith(SUFFIX)) {
                continue;
            }
            UnitScore score = Json.read(new String(store.read(ArtifactUri.forRun(store.bucket(), runId, path).toUri()),
                    StandardCharsets.UTF_8), UnitScore.class);
            if (fingerprint.equals(score.fingerprint())) {
                fresh.put(unit, score);
            } else {
                LOG.warnf("run %s: unit score %s ignored: it is another search's", runId, path);
            }
        }
        return fresh;
    }
}
