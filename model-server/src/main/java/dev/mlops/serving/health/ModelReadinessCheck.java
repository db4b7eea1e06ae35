package dev.mlops.serving.health;

import dev.mlops.serving.service.ServingModel;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Objects;

/** /q/health/ready names the served model; the server only starts once it is loaded. */
@Readiness
public class ModelReadinessCheck implements HealthCheck {

    private final ServingModel model;

    ModelReadinessCheck(ServingModel model) {
        this.model = model;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("model").up()
                .withData("name", Objects.toString(model.info().name(), "unknown"))
                .withData("version", Objects.toString(model.info().version(), "unknown"))
                .withData("runId", Objects.toString(model.info().runId(), "unknown"))
                .withData("trees", model.treeCount())
                .withData("compiledForest", model.compiled())
                .build();
    }
}
