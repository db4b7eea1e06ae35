package dev.mlops.runtime.stage;

import dev.mlops.common.event.Topics;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes the warm-up records {@link EventPathWarmUp} sends the way a stage's input records come (the Kafka consumer,
 * SmallRye's dispatch, a {@code @Blocking} worker, the parser), and only counts them. Reads partition 0 of
 * {@link Topics#WARM_UP} from its end, assigned without a consumer group (META-INF/microprofile-config.properties).
 */
@ApplicationScoped
public class WarmUpConsumer {

    private final StageInputParser parser;
    private final AtomicInteger taken = new AtomicInteger();

    public WarmUpConsumer(StageInputParser parser) {
        this.parser = parser;
    }

    @Incoming(Topics.WARM_UP)
    @Blocking
    public CompletionStage<Void> onWarmUp(Message<String> record) {
        try {
            parser.parse(record.getPayload());
            taken.incrementAndGet();
        } catch (Exception e) {
            // not a made-up event of this version: nothing depends on a warm-up record
        }
        return record.ack();
    }

    /** The warm-up records this instance took as events, since it started. */
    public int taken() {
        return taken.get();
    }
}
