package dev.mlops.tracking.repository;

import dev.mlops.tracking.RegisteredModel;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class RegisteredModelRepository implements PanacheRepository<RegisteredModel> {

    public Optional<RegisteredModel> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Persists a new model, its versions to be numbered from 1. Hold the name's lock and check it is free. */
    public RegisteredModel persistNew(String name, String description) {
        RegisteredModel model = new RegisteredModel();
        model.name = name;
        model.description = description;
        model.createdAt = DbClock.now();
        model.updatedAt = model.createdAt;
        persist(model);
        return model;
    }

    /** Up to {@code limit} models by name, those after {@code after} (null: from the first). */
    public List<RegisteredModel> byName(String after, int limit) {
        return (after == null ? findAll(Sort.ascending("name")) : find("name > ?1", Sort.ascending("name"), after))
                .page(Page.ofSize(limit))
                .list();
    }
}
