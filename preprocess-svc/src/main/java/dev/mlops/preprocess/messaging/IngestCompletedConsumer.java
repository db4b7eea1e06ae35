package dev.mlops.preprocess.messaging;

import dev.mlops.common.event.Stage;
import dev.mlops.preprocess.service.PreprocessService;
import dev.mlops.runtime.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Preprocess runs for every ingested dataset and announces mlops.preprocess.completed. */
@ApplicationScoped
public class IngestCompletedConsumer {

    @Inject
    StageRunner runner;

    @Inject
    PreprocessService preprocess;

    @Inject
    @Channel("mlops.preprocess.completed")
    MutinyEmitter<String> completed;

    @Incoming("mlops.ingest.completed")
    @Blocking
    public CompletionStage<Void> onIngestCompleted(Message<String> record) {
        return runner.run(Stage.PREPROCESS, record, completed, (input, progress) -> preprocess.preprocess(input));
    }
}
