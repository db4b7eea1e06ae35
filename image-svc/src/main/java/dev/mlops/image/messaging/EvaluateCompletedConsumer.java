package dev.mlops.image.messaging;

import dev.mlops.common.event.Stage;
import dev.mlops.image.service.ImageService;
import dev.mlops.runtime.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Builds the serving image for every evaluated model and announces mlops.image.completed; a run whose spec says
 * {@code deploy.target: none} ends after evaluate, so its event is acknowledged without building anything.
 */
@ApplicationScoped
public class EvaluateCompletedConsumer {

    @Inject
    StageRunner runner;

    @Inject
    ImageService images;

    @Inject
    @Channel("mlops.image.completed")
    MutinyEmitter<String> completed;

    @Incoming("mlops.evaluate.completed")
    @Blocking
    public CompletionStage<Void> onEvaluateCompleted(Message<String> record) {
        if (DeployTargets.notDeployed(record.getPayload())) {
            return record.ack();
        }
        return runner.run(Stage.IMAGE, record, completed, (input, progress) -> images.build(input));
    }
}
