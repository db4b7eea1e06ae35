package dev.mlops.runtime.stage;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.reactive.messaging.Message;

/** An emitter refusing events over 1 MB as Kafka does (its default max.request.size); the in-memory sink would not. */
class SizeLimitedEmitter implements MutinyEmitter<String> {

    static final int MAX_BYTES = 1_048_576;

    private final MutinyEmitter<String> delegate;

    SizeLimitedEmitter(MutinyEmitter<String> delegate) {
        this.delegate = delegate;
    }

    @Override
    public <M extends Message<? extends String>> void sendMessageAndAwait(M message) {
        if (message.getPayload().length() > MAX_BYTES) {
            throw new RecordTooLargeException("The message is " + message.getPayload().length()
                    + " bytes when serialized which is larger than " + MAX_BYTES);
        }
        delegate.sendMessageAndAwait(message);
    }

    @Override
    public <M extends Message<? extends String>> Uni<Void> sendMessage(M message) {
        return delegate.sendMessage(message);
    }

    @Override
    public Uni<Void> send(String payload) {
        return delegate.send(payload);
    }

    @Override
    public void sendAndAwait(String payload) {
        delegate.sendAndAwait(payload);
    }

    @Override
    public Cancellable sendAndForget(String payload) {
        return delegate.sendAndForget(payload);
    }

    @Override
    public <M extends Message<? extends String>> void send(M message) {
        delegate.send(message);
    }

    @Override
    public <M extends Message<? extends String>> Cancellable sendMessageAndForget(M message) {
        return delegate.sendMessageAndForget(message);
    }

    @Override
    public void complete() {
        delegate.complete();
    }

    @Override
    public void error(Exception e) {
        delegate.error(e);
    }

    @Override
    public boolean isCancelled() {
        return delegate.isCancelled();
    }

    @Override
    public boolean hasRequests() {
        return delegate.hasRequests();
    }
}
