package dev.mlops.serving.health;

import dev.mlops.serving.service.ModelSlots;
import dev.mlops.serving.service.ServingModel;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Objects;
import java.util.Optional;

/** /q/health/ready names the served model; not ready while none is served (load-at-start=false, none promoted yet). */
@Readiness
public class ModelReadinessCheck implements HealthCheck {

    private final ModelSlots slots;

    ModelReadinessCheck(ModelSlots slots) {
        this.slots = slots;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<ServingModel> live = slots.live();
        if (live.isEmpty()) {
            return HealthCheckResponse.named("model").down().withData("reason", "no model served yet").build();
        }
        ServingModel model = live.get();
        return HealthCheckResponse.named("model").up()
                .withData("name", Objects.toString(model.info().name(), "unknown"))
                .withData("version", Objects.toString(model.info().version(), "unknown"))
                .withData("runId", Objects.toString(model.info().runId(), "unknown"))
                .withData("trees", model.treeCount())
                .withData("compiledForest", model.compiled())
                .build();
    }
}
