package dev.mlops.serving.service;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The served ("live") model and the one staged to replace it. A swap replaces one reference: a request picks the live
 * model once, when it starts, so requests in flight finish on the model they started with and the next ones get the
 * new one; none fails.
 */
public class ModelSlots {

    private final AtomicReference<ServingModel> live = new AtomicReference<>();
    private final AtomicReference<ServingModel> staged = new AtomicReference<>();
    private final Consumer<ServingModel> onPromoted;

    /** @param onPromoted told of each model that goes live (metrics, the log) */
    public ModelSlots(Consumer<ServingModel> onPromoted) {
        this.onPromoted = onPromoted;
    }

    public Optional<ServingModel> live() {
        return Optional.ofNullable(live.get());
    }

    public Optional<ServingModel> staged() {
        return Optional.ofNullable(staged.get());
    }

    /** Puts {@code model} in the staged slot, replacing what was staged there. */
    public void stage(ServingModel model) {
        staged.set(model);
    }

    /** Serves {@code model} at once (start-up with a model). */
    public void serve(ServingModel model) {
        live.set(model);
        onPromoted.accept(model);
    }

    /** The staged model goes live; empty when nothing is staged. */
    public synchronized Optional<ServingModel> promote() {
        ServingModel next = staged.getAndSet(null);
        if (next != null) {
            serve(next);
        }
        return Optional.ofNullable(next);
    }

    public boolean discardStaged() {
        return staged.getAndSet(null) != null;
    }
}
