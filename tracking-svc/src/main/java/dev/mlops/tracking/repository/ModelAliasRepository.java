package dev.mlops.tracking.repository;

import dev.mlops.tracking.ModelAlias;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ModelAliasRepository implements PanacheRepository<ModelAlias> {

    public Optional<ModelAlias> find(Long modelId, String alias) {
        return find("modelId = ?1 and alias = ?2", modelId, alias).firstResultOptional();
    }

    /** Points {@code alias} at {@code version}, creating or moving it. Hold the model's lock. */
    public void point(Long modelId, String alias, int version) {
        Optional<ModelAlias> existing = find(modelId, alias);
        if (existing.isPresent()) {
            existing.get().version = version;
        } else {
            ModelAlias created = new ModelAlias();
            created.modelId = modelId;
            created.alias = alias;
            created.version = version;
            persist(created);
        }
    }

    public List<ModelAlias> forModel(Long modelId) {
        return list("modelId", Sort.ascending("alias"), modelId);
    }
}
