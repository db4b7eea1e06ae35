package dev.mlops.tracking.repository;

import dev.mlops.tracking.Experiment;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ExperimentRepository implements PanacheRepository<Experiment> {

    private final Locks locks;

    public ExperimentRepository(Locks locks) {
        this.locks = locks;
    }

    public Experiment getOrCreate(String name) {
        locks.lockExperiment(name);
        Experiment experiment = findByName(name);
        if (experiment == null) {
            experiment = new Experiment();
            experiment.name = name;
            experiment.createdAt = DbClock.now();
            persist(experiment);
        }
        return experiment;
    }

    public Experiment findByName(String name) {
        return find("name", name).firstResult();
    }
}
