package dev.mlops.runtime.stage;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An emitter whose broker acknowledges every send but the next {@link #failNext(int)} ones. */
class RecordingEmitter implements MutinyEmitter<String> {

    final List<String> sent = new CopyOnWriteArrayList<>();
    final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger failuresToCome = new AtomicInteger();
    private volatile Runnable onFailure = () -> { };

    RecordingEmitter failNext(int sends) {
        failuresToCome.set(sends);
        return this;
    }

    /** Runs {@code action} after each failed send (e.g. the service starts stopping). */
    RecordingEmitter onFailure(Runnable action) {
        onFailure = action;
        return this;
    }

    @Override
    public <M extends Message<? extends String>> void sendMessageAndAwait(M message) {
        if (failuresToCome.getAndDecrement() > 0) {
            failed.incrementAndGet();
            onFailure.run();
            throw new IllegalStateException("Topic mlops.stage.status not present in metadata after 60000 ms");
        }
        sent.add(message.getPayload());
    }

    @Override
    public <M extends Message<? extends String>> Uni<Void> sendMessage(M message) {
        sent.add(message.getPayload());
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> send(String payload) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendAndAwait(String payload) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Cancellable sendAndForget(String payload) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <M extends Message<? extends String>> void send(M message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <M extends Message<? extends String>> Cancellable sendMessageAndForget(M message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void complete() {
    }

    @Override
    public void error(Exception e) {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean hasRequests() {
        return true;
    }
}
