package dev.mlops.deploy.messaging;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import dev.mlops.deploy.service.DeployService;
import dev.mlops.runtime.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Deploys every built image and announces mlops.deploy.completed; runs with deploy.target none are not deployed. */
@ApplicationScoped
public class ImageCompletedConsumer {

    private final StageRunner runner;
    private final DeployService deployer;
    private final MutinyEmitter<String> completed;

    public ImageCompletedConsumer(StageRunner runner, DeployService deployer,
                                  @Channel(Topics.DEPLOY_COMPLETED) MutinyEmitter<String> completed) {
        this.runner = runner;
        this.deployer = deployer;
        this.completed = completed;
    }

    @Incoming(Topics.IMAGE_COMPLETED)
    @Blocking
    public CompletionStage<Void> onImageCompleted(Message<String> record) {
        return runner.run(Stage.DEPLOY, record, completed, (input, progress) -> deployer.deploy(input));
    }
}
