package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.runtime.messaging.EventCounters;
import dev.mlops.runtime.messaging.EventMessages;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Publishes a stage's status and completed events, waiting for the broker's acknowledgement. A failed send never
 * escapes to the consumer method (SmallRye would end the channel: the service up but deaf); it is tried again with
 * backoff ({@code mlops.stage.retry.initial-backoff} doubling to {@code max-backoff}) until the broker takes it. Only
 * two things end the tries: the service stopping ({@link ServiceStopping}: the input stays unacknowledged) and an
 * event Kafka refuses for good (too large: a {@link StageFailure}).
 */
@ApplicationScoped
public class StagePublisher {

    private static final Logger LOG = Logger.getLogger(StagePublisher.class);

    private final MutinyEmitter<String> statusEmitter;
    private final EventCounters events;
    private final StageRetryConfig retry;
    private final String serviceName;
    private final BooleanSupplier stopping;

    @Inject // the constructor below is for tests
    public StagePublisher(@Channel(Topics.STAGE_STATUS) MutinyEmitter<String> statusEmitter, EventCounters events,
                          StageRetryConfig retry, @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this(statusEmitter, events, retry, serviceName, StagePublisher::applicationStopping);
    }

    StagePublisher(MutinyEmitter<String> statusEmitter, EventCounters events, StageRetryConfig retry,
                   String serviceName, BooleanSupplier stopping) {
        this.statusEmitter = statusEmitter;
        this.events = events;
        this.retry = retry;
        this.serviceName = serviceName;
        this.stopping = stopping;
    }

    public void status(StageStatusEvent status) throws ServiceStopping {
        send(statusEmitter, Topics.STAGE_STATUS, status.runId(), status);
    }

    /** A progress update is sent once without waiting: the next one supersedes a lost one. */
    public void progress(StageStatusEvent status) {
        statusEmitter.sendMessage(EventMessages.of(Topics.STAGE_STATUS, status.runId(), status, serviceName))
                .subscribe().with(ok -> events.produced(Topics.STAGE_STATUS),
                        e -> LOG.debugf("progress update not sent: %s", e.getMessage()));
    }

    public void completed(MutinyEmitter<String> emitter, Stage stage, StageEvent output) throws ServiceStopping {
        send(emitter, stage.completedTopic(), output.runId(), output);
    }

    public boolean stopping() {
        return stopping.getAsBoolean();
    }

    /**
     * The JVM is shutting down (SIGTERM, {@code ./mlops down}) or the application is stopping. Not an observer of
     * ShutdownEvent: an observer would keep this bean, and its status channel, in services that run no stage.
     */
    private static boolean applicationStopping() {
        Application application = Application.currentApplication();
        return ApplicationLifecycleManager.isVmShuttingDown() || application != null && !application.isStarted();
    }

    private void send(MutinyEmitter<String> emitter, String topic, String runId, Object event) throws ServiceStopping {
        Duration backoff = retry.initialBackoff();
        for (int tryNumber = 1; ; tryNumber++) {
            if (stopping()) {
                throw new ServiceStopping();
            }
            try {
                emitter.sendMessageAndAwait(EventMessages.of(topic, runId, event, serviceName));
                events.produced(topic);
                return;
            } catch (RuntimeException e) {
                if (causedBy(e, RecordTooLargeException.class)) {
                    throw new StageFailure("the " + topic + " event of run " + runId + " is too large for Kafka: "
                            + e.getMessage(), e);
                }
                LOG.warnf("run %s: sending to %s failed (try %d: %s); trying again in %d ms", runId, topic, tryNumber,
                        StageRetry.describe(e), backoff.toMillis());
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceStopping();
            }
            backoff = retry.nextBackoff(backoff);
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
