package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.event.StageStatusEvent;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The stage's work, tried again after transient failures ({@link StageRetry}), reporting progress; its completed
 * event is kept in the store ({@link StageOutputs}) before anything is published, for {@link OutputReplay}.
 */
@ApplicationScoped
public class StageWorker {

    private final StageRetry retry;
    private final StageOutputs outputs;
    private final StagePublisher publisher;

    public StageWorker(StageRetry retry, StageOutputs outputs, StagePublisher publisher) {
        this.retry = retry;
        this.outputs = outputs;
        this.publisher = publisher;
    }

    public StageEvent work(Stage stage, StageEvent input, StageWork work) throws Exception {
        return retry.call(stage, input.runId(), () -> {
            StageResult result = work.run(input, (done, total) ->
                    publisher.progress(StageStatusEvent.progress(input, stage, done, total)));
            StageEvent completed = input.completed(stage, result);
            outputs.record(stage, input, completed);
            return completed;
        });
    }
}
