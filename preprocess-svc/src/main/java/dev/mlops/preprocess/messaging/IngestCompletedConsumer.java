package dev.mlops.preprocess.messaging;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import dev.mlops.preprocess.service.PreprocessService;
import dev.mlops.runtime.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Preprocess runs for every ingested dataset and announces mlops.preprocess.completed. */
@ApplicationScoped
public class IngestCompletedConsumer {

    private final StageRunner runner;
    private final PreprocessService preprocess;
    private final MutinyEmitter<String> completed;

    public IngestCompletedConsumer(StageRunner runner, PreprocessService preprocess,
                                   @Channel(Topics.PREPROCESS_COMPLETED) MutinyEmitter<String> completed) {
        this.runner = runner;
        this.preprocess = preprocess;
        this.completed = completed;
    }

    @Incoming(Topics.INGEST_COMPLETED)
    @Blocking
    public CompletionStage<Void> onIngestCompleted(Message<String> record) {
        return runner.run(Stage.PREPROCESS, record, completed, (input, progress) -> preprocess.preprocess(input));
    }
}
