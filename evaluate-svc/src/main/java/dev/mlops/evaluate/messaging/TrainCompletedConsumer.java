package dev.mlops.evaluate.messaging;

import dev.mlops.common.event.Stage;
import dev.mlops.evaluate.service.EvaluateService;
import dev.mlops.runtime.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Evaluate runs for every trained model and announces mlops.evaluate.completed when the model passes the gate. */
@ApplicationScoped
public class TrainCompletedConsumer {

    @Inject
    StageRunner runner;

    @Inject
    EvaluateService evaluate;

    @Inject
    @Channel("mlops.evaluate.completed")
    MutinyEmitter<String> completed;

    @Incoming("mlops.train.completed")
    @Blocking
    public CompletionStage<Void> onTrainCompleted(Message<String> record) {
        return runner.run(Stage.EVALUATE, record, completed, (input, progress) -> evaluate.evaluate(input));
    }
}
