package dev.mlops.ingest.messaging;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import dev.mlops.ingest.service.IngestService;
import dev.mlops.runtime.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Ingest runs for every pipeline request and announces mlops.ingest.completed. */
@ApplicationScoped
public class PipelineRequestedConsumer {

    private final StageRunner runner;
    private final IngestService ingest;
    private final MutinyEmitter<String> completed;

    public PipelineRequestedConsumer(StageRunner runner, IngestService ingest,
                                     @Channel(Topics.INGEST_COMPLETED) MutinyEmitter<String> completed) {
        this.runner = runner;
        this.ingest = ingest;
        this.completed = completed;
    }

    @Incoming(Topics.PIPELINE_REQUESTED)
    @Blocking
    public CompletionStage<Void> onPipelineRequested(Message<String> record) {
        return runner.run(Stage.INGEST, record, completed, (input, progress) -> ingest.ingest(input));
    }
}
