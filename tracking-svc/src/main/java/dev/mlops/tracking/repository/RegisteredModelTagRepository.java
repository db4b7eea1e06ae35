package dev.mlops.tracking.repository;

import dev.mlops.tracking.RegisteredModelTag;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class RegisteredModelTagRepository implements PanacheRepository<RegisteredModelTag> {

    /** Insert or overwrite the tag (model, key). Hold the model's lock. */
    public void upsert(long modelId, String key, String value) {
        RegisteredModelTag tag = find("modelId = ?1 and key = ?2", modelId, key).firstResult();
        if (tag == null) {
            tag = new RegisteredModelTag();
            tag.modelId = modelId;
            tag.key = key;
            tag.value = value;
            persist(tag);
        } else {
            tag.value = value;
        }
    }

    public void remove(long modelId, String key) {
        delete("modelId = ?1 and key = ?2", modelId, key);
    }

    public List<RegisteredModelTag> of(long modelId) {
        return list("modelId", Sort.ascending("key"), modelId);
    }
}
