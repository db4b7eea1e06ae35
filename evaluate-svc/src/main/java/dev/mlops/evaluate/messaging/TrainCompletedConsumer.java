package dev.mlops.evaluate.messaging;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import dev.mlops.evaluate.service.EvaluateService;
import dev.mlops.runtime.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Evaluate runs for every trained model and announces mlops.evaluate.completed when the model passes the gate. */
@ApplicationScoped
public class TrainCompletedConsumer {

    private final StageRunner runner;
    private final EvaluateService evaluate;
    private final MutinyEmitter<String> completed;

    public TrainCompletedConsumer(StageRunner runner, EvaluateService evaluate,
                                  @Channel(Topics.EVALUATE_COMPLETED) MutinyEmitter<String> completed) {
        this.runner = runner;
        this.evaluate = evaluate;
        this.completed = completed;
    }

    @Incoming(Topics.TRAIN_COMPLETED)
    @Blocking
    public CompletionStage<Void> onTrainCompleted(Message<String> record) {
        return runner.run(Stage.EVALUATE, record, completed, (input, progress) -> evaluate.evaluate(input));
    }
}
