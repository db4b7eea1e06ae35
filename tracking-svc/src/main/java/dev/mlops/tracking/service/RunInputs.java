package dev.mlops.tracking.service;

import dev.mlops.tracking.Run;
import dev.mlops.tracking.repository.DatasetInputRepository;
import dev.mlops.tracking.repository.DatasetInputRepository.Dataset;
import dev.mlops.tracking.repository.Locks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;

/**
 * MLflow's run inputs (runs/log-inputs): datasets, kept per experiment and deduplicated by (name, digest) as MLflow's
 * store does, logged as inputs of an active run with their tags, with MLflow's limits (mlflow/utils/validation.py).
 */
@ApplicationScoped
public class RunInputs {

    static final int MAX_DATASETS = 1000;
    static final int MAX_NAME = 500;
    static final int MAX_DIGEST = 36;
    static final int MAX_SOURCE_TYPE = 36;
    static final int MAX_SOURCE = 65535;
    static final int MAX_SCHEMA = 1048575;
    static final int MAX_PROFILE = 16777215;
    static final int MAX_TAG_KEY = 255;
    static final int MAX_TAG_VALUE = 500;

    private final RunService runs;
    private final DatasetInputRepository inputs;
    private final Locks locks;

    public RunInputs(RunService runs, DatasetInputRepository inputs, Locks locks) {
        this.runs = runs;
        this.inputs = inputs;
        this.locks = locks;
    }

    /** One DatasetInput: its dataset and its tags (by key). */
    public record DatasetInput(Dataset dataset, Map<String, String> tags) {
    }

    /** Checks every input first, so a refused request stores nothing. */
    @Transactional
    public void log(String runId, List<DatasetInput> datasetInputs) {
        if (datasetInputs.size() > MAX_DATASETS) {
            throw new InvalidInput("datasets", "a request logs at most " + MAX_DATASETS + " datasets, got "
                    + datasetInputs.size());
        }
        for (int i = 0; i < datasetInputs.size(); i++) {
            validate("datasets[" + i + "]", datasetInputs.get(i));
        }
        locks.lockRun(runId);
        Run run = runs.require(runId);
        RunService.requireActive(run);
        for (DatasetInput input : datasetInputs) {
            inputs.addInput(run.id, inputs.datasetId(run.experimentId, input.dataset()), input.tags());
        }
    }

    @Transactional
    public List<DatasetInputRepository.Input> of(String runId) {
        return inputs.forRun(runId);
    }

    private static void validate(String field, DatasetInput input) {
        Dataset d = input.dataset();
        if (d == null) {
            throw new InvalidInput(field + ".dataset", field + ".dataset is missing");
        }
        limit(field + ".dataset.name", d.name(), MAX_NAME, true);
        limit(field + ".dataset.digest", d.digest(), MAX_DIGEST, true);
        limit(field + ".dataset.source_type", d.sourceType(), MAX_SOURCE_TYPE, true);
        limit(field + ".dataset.source", d.source(), MAX_SOURCE, true);
        limit(field + ".dataset.schema", d.schema(), MAX_SCHEMA, false);
        limit(field + ".dataset.profile", d.profile(), MAX_PROFILE, false);
        input.tags().forEach((key, value) -> {
            limit(field + ".tags.key", key, MAX_TAG_KEY, true);
            limit(field + ".tags[" + key + "].value", value, MAX_TAG_VALUE, true);
        });
    }

    private static void limit(String field, String value, int max, boolean required) {
        if (value == null || (required && value.isEmpty())) {
            if (required) {
                throw new InvalidInput(field, field + " is missing");
            }
            return;
        }
        if (value.length() > max) {
            throw new InvalidInput(field, field + " is " + value.length() + " characters, over MLflow's limit of " + max);
        }
    }
}
