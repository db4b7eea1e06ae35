package dev.mlops.tracking.repository;

import dev.mlops.tracking.RegisteredModel;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class RegisteredModelRepository implements PanacheRepository<RegisteredModel> {

    public Optional<RegisteredModel> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public List<RegisteredModel> byName() {
        return listAll(Sort.ascending("name"));
    }
}
