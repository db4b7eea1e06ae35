package dev.mlops.tracking.repository;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** MLflow's dataset inputs (V6): datasets per experiment unique by (name, digest), a run's inputs and their tags. */
@ApplicationScoped
public class DatasetInputRepository {

    public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {
    }

    public record Input(Dataset dataset, Map<String, String> tags) {
    }

    /** The dataset's id in the experiment, stored on first use; a dataset logged again keeps what it was stored with. */
    public long datasetId(long experimentId, Dataset dataset) {
        em().createNativeQuery("INSERT INTO dataset (experiment_id, name, digest, source_type, source, schema, profile)"
                        + " VALUES (:experiment, :name, :digest, :sourceType, :source, :schema, :profile)"
                        + " ON CONFLICT (experiment_id, name, digest) DO NOTHING")
                .setParameter("experiment", experimentId).setParameter("name", dataset.name())
                .setParameter("digest", dataset.digest()).setParameter("sourceType", dataset.sourceType())
                .setParameter("source", dataset.source()).setParameter("schema", dataset.schema())
                .setParameter("profile", dataset.profile()).executeUpdate();
        return ((Number) em().createNativeQuery("SELECT id FROM dataset WHERE experiment_id = :experiment"
                        + " AND name = :name AND digest = :digest")
                .setParameter("experiment", experimentId).setParameter("name", dataset.name())
                .setParameter("digest", dataset.digest()).getSingleResult()).longValue();
    }

    /** Records the dataset as an input of the run with its tags; a dataset the run has already keeps its tags. */
    public void addInput(String runId, long datasetId, Map<String, String> tags) {
        List<?> inserted = em().createNativeQuery("INSERT INTO run_input (run_id, dataset_id) VALUES (:run, :dataset)"
                        + " ON CONFLICT (run_id, dataset_id) DO NOTHING RETURNING id")
                .setParameter("run", runId).setParameter("dataset", datasetId).getResultList();
        if (inserted.isEmpty()) {
            return;
        }
        long inputId = ((Number) inserted.get(0)).longValue();
        tags.forEach((key, value) -> em().createNativeQuery(
                        "INSERT INTO run_input_tag (input_id, key, value) VALUES (:input, :key, :value)")
                .setParameter("input", inputId).setParameter("key", key).setParameter("value", value).executeUpdate());
    }

    /** The run's inputs in the order they were logged, each with its tags. */
    public List<Input> forRun(String runId) {
        List<?> rows = em().createNativeQuery("SELECT i.id, d.name, d.digest, d.source_type, d.source, d.schema,"
                        + " d.profile, t.key, t.value FROM run_input i JOIN dataset d ON d.id = i.dataset_id"
                        + " LEFT JOIN run_input_tag t ON t.input_id = i.id WHERE i.run_id = :run ORDER BY i.id, t.key")
                .setParameter("run", runId).getResultList();
        Map<Long, Input> inputs = new LinkedHashMap<>();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            Input input = inputs.computeIfAbsent(((Number) c[0]).longValue(), id -> new Input(new Dataset(
                    (String) c[1], (String) c[2], (String) c[3], (String) c[4], (String) c[5], (String) c[6]),
                    new LinkedHashMap<>()));
            if (c[7] != null) {
                input.tags().put((String) c[7], (String) c[8]);
            }
        }
        return new ArrayList<>(inputs.values());
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }
}
