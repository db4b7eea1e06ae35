package dev.mlops.evaluate.service;

import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.event.Release;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.bundle.StoredBundle;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.runtime.registry.ModelAliases;
import dev.mlops.runtime.registry.ModelAliases.AliasedVersion;
import dev.mlops.runtime.stage.InputArtifacts;
import dev.mlops.runtime.stage.StageFailure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gate.mustBeatProduction}: scores the version behind the model's {@code production} alias on this run's test
 * rows as ingested ({@code preprocess/test_raw.csv}, through that version's own preprocessor) and releases the new
 * model only if its score beats production's by more than {@code gate.minImprovement}. With no production version
 * yet (the first model), the new one is released.
 */
@ApplicationScoped
public class ChampionChallenger {

    public static final String TEST_RAW = "preprocess/test_raw.csv";

    private static final Logger LOG = Logger.getLogger(ChampionChallenger.class);

    private final ModelAliases aliases;
    private final ArtifactStore store;

    public ChampionChallenger(ModelAliases aliases, ArtifactStore store) {
        this.aliases = aliases;
        this.store = store;
    }

    /** The run metric releases are decided on (higher is better): the one place that chooses it per task. */
    public static String scoreMetric(ModelBundle challenger) {
        return challenger.regression() ? "r2" : "accuracy";
    }

    /**
     * The decision on a run's release.
     *
     * @param productionScore null when there is no production version (or it is this run's own model)
     */
    public record Decision(String release, Integer productionVersion, String metric, double score,
                           Double productionScore, double minImprovement, String note) {

        public Map<String, String> params() {
            Map<String, String> params = new LinkedHashMap<>();
            params.put(Release.PARAM, release);
            params.put(Release.NOTE_PARAM, note);
            if (productionVersion != null) {
                params.put(Release.PRODUCTION_VERSION_PARAM, String.valueOf(productionVersion));
            }
            return params;
        }

        public Map<String, Double> metrics() {
            return productionScore == null ? Map.of() : Map.of("production_" + metric, productionScore);
        }

        /** The {@code release} section of evaluate/metrics.json. */
        public Map<String, Object> document() {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("decision", release);
            document.put("metric", metric);
            document.put(metric, score);
            document.put("production_version", productionVersion);
            document.put("production_" + metric, productionScore);
            document.put("min_improvement", minImprovement);
            document.put("message", note);
            return document;
        }
    }

    public Decision decide(StageEvent input, ModelBundle challenger, Map<String, Double> runMetrics) {
        PipelineSpec spec = input.spec();
        String metric = scoreMetric(challenger);
        double score = runMetrics.get(metric);
        double minImprovement = spec.gate().minImprovement();
        String modelName = spec.model().name();
        Optional<AliasedVersion> production = aliases.get(modelName, ModelAliases.PRODUCTION);
        if (production.isEmpty()) {
            return new Decision(Release.PROMOTED, null, metric, score, null, minImprovement, String.format(Locale.ROOT,
                    "released: model %s has no production version yet (%s %.4f)", modelName, metric, score));
        }
        AliasedVersion champion = production.get();
        if (input.runId().equals(champion.runId())) {
            return new Decision(Release.PROMOTED, champion.version(), metric, score, null, minImprovement,
                    "released: this run's model is production version " + champion.version() + " already");
        }
        double productionScore = score(champion, modelName, spec, metric, input);
        boolean better = score > productionScore + minImprovement;
        String figures = String.format(Locale.ROOT, "%s %.4f vs %.4f, needed > %.4f + %.4f", metric, score,
                productionScore, productionScore, minImprovement);
        Decision decision = better
                ? new Decision(Release.PROMOTED, champion.version(), metric, score, productionScore, minImprovement,
                "released: beats production version " + champion.version() + " (" + figures + ")")
                : new Decision(Release.KEPT, champion.version(), metric, score, productionScore, minImprovement,
                "kept production version " + champion.version() + " (" + figures + ")");
        LOG.infof("run %s: %s", input.runId(), decision.note());
        return decision;
    }

    /** Production's score on this run's test rows, through production's own preprocessor. */
    private double score(AliasedVersion champion, String modelName, PipelineSpec spec, String metric,
                         StageEvent input) {
        String which = "production version " + champion.version() + " of model " + modelName;
        ModelBundle bundle;
        try {
            bundle = ModelBundle.fromFiles(StoredBundle.files(store, champion.artifactUri()));
        } catch (RuntimeException e) {
            throw new StageFailure("cannot load " + which + " from " + champion.artifactUri() + ": " + e.getMessage(), e);
        }
        CsvTable testRows;
        try {
            testRows = CsvTable.parse(InputArtifacts.read(store, input, TEST_RAW, "evaluate (gate.mustBeatProduction)"));
        } catch (CsvFormatException e) {
            throw new StageFailure(TEST_RAW + " is not readable CSV: " + e.getMessage());
        }
        if (!bundle.signature().target().equals(spec.target())) {
            throw new StageFailure("cannot compare with " + which + ": it predicts '" + bundle.signature().target()
                    + "', this run's target is '" + spec.target() + "'");
        }
        List<String> needed = new ArrayList<>(bundle.preprocessor().inputColumns());
        needed.add(bundle.signature().target());
        List<String> lacking = needed.stream().filter(column -> testRows.columnIndex(column) < 0).toList();
        if (!lacking.isEmpty()) {
            throw new StageFailure("cannot score " + which + " on this run's test rows: it needs column(s) " + lacking
                    + " that they lack (they have: " + testRows.header() + "); gate.mustBeatProduction compares models"
                    + " on the same columns");
        }
        double[][] x;
        try {
            x = bundle.preprocessor().transform(testRows);
        } catch (RuntimeException e) {
            throw new StageFailure("cannot score " + which + " on this run's test rows: " + e.getMessage(), e);
        }
        String target = bundle.signature().target();
        LabelColumn labels = new LabelColumn(target, testRows.column(target).stream().map(String::trim).toList());
        Double score = ModelEvaluation.runMetrics(bundle, x, labels).get(metric);
        if (score == null) {
            throw new StageFailure("cannot compare with " + which + ": it is a " + (bundle.regression() ? "regressor"
                    : "classifier") + ", this run's model is not, so it has no " + metric);
        }
        return score;
    }
}
