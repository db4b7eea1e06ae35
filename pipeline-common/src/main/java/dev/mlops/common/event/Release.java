package dev.mlops.common.event;

import java.util.Map;

/**
 * Evaluate's release decision under {@code gate.mustBeatProduction}, as run params that travel with the events:
 * {@code release} is "promoted" (the run goes on to image and deploy) or "kept" (production stays; the run ends
 * SUCCEEDED after evaluate), {@code release_note} says why, {@code production_version} what it was compared with.
 * A run without the gate carries none of them.
 */
public final class Release {

    public static final String PARAM = "release";
    public static final String NOTE_PARAM = "release_note";
    public static final String PRODUCTION_VERSION_PARAM = "production_version";
    public static final String PROMOTED = "promoted";
    public static final String KEPT = "kept";

    private Release() {
    }

    /** True when evaluate kept the production model: the run is done, nothing is built or deployed. */
    public static boolean kept(Map<String, String> params) {
        return KEPT.equals(params.get(PARAM));
    }
}
