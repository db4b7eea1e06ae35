package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** A stage wired as the services wire theirs (deploy's channels), doing {@link ScriptedWork}. */
@ApplicationScoped
public class StandInStage {

    private final StageRunner runner;
    private final MutinyEmitter<String> completed;
    private final ScriptedWork work;

    public StandInStage(StageRunner runner, @Channel(Topics.DEPLOY_COMPLETED) MutinyEmitter<String> completed,
                        ScriptedWork work) {
        this.runner = runner;
        this.completed = new SizeLimitedEmitter(completed);
        this.work = work;
    }

    @Incoming(Topics.IMAGE_COMPLETED)
    @Blocking
    public CompletionStage<Void> onRecord(Message<String> record) {
        return runner.run(Stage.DEPLOY, record, completed, work);
    }
}
