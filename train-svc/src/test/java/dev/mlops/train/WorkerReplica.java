package dev.mlops.train;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.S3Settings;
import dev.mlops.train.messaging.TrainWorkConsumer;
import dev.mlops.train.service.UnitWorker;

/**
 * Another train-svc replica's share of fanned-out searches, as its own process for the tests ({@code ServiceReplica}):
 * the same {@link TrainWorkConsumer} and {@link UnitWorker} the service runs, scoring one unit at a time. Prints
 * {@code READY} once it consumes and {@code SCORED <runId> <unit>} for every unit it stored.
 *
 * <p>Args: bootstrap servers, S3 endpoint, access key, secret key, bucket, replica name.
 */
public final class WorkerReplica {

    public static final String READY = "READY";
    public static final String SCORED = "SCORED ";

    private WorkerReplica() {
    }

    public static void main(String[] args) throws InterruptedException {
        ArtifactStore store = new ArtifactStore(new S3Settings(args[1], args[2], args[3], args[4], "us-east-1"));
        UnitWorker worker = new UnitWorker(store, args[5], (runId, unit) -> {
            System.out.println(SCORED + runId + " " + unit);
            System.out.flush();
        });
        TrainWorkConsumer consumer = new TrainWorkConsumer(args[0], worker, 1);
        Runtime.getRuntime().addShutdownHook(new Thread(consumer::close));
        consumer.start();
        System.out.println(READY);
        System.out.flush();
        Thread.currentThread().join();
    }
}
