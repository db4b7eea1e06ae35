package dev.mlops.tracking.repository;

import dev.mlops.tracking.ModelVersionTag;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ModelVersionTagRepository implements PanacheRepository<ModelVersionTag> {

    /** Insert or overwrite the tag (version, key). Hold the model's lock. */
    public void upsert(long versionId, String key, String value) {
        ModelVersionTag tag = find("versionId = ?1 and key = ?2", versionId, key).firstResult();
        if (tag == null) {
            tag = new ModelVersionTag();
            tag.versionId = versionId;
            tag.key = key;
            tag.value = value;
            persist(tag);
        } else {
            tag.value = value;
        }
    }

    public void remove(long versionId, String key) {
        delete("versionId = ?1 and key = ?2", versionId, key);
    }

    public List<ModelVersionTag> of(long versionId) {
        return list("versionId", Sort.ascending("key"), versionId);
    }
}
