package dev.mlops.serving.config;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.serving.service.BundleLoader;
import dev.mlops.serving.service.ModelInfo;
import dev.mlops.serving.service.ServingModel;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Loads the model bundle while the server starts: a missing or invalid bundle stops the start with the reason. */
@ApplicationScoped
public class ModelProducer {

    private static final Logger LOG = Logger.getLogger(ModelProducer.class);

    @Produces
    @Singleton
    @Startup
    ServingModel servingModel(ModelConfig config, ArtifactStoreConfig s3) {
        long start = System.nanoTime();
        String uri = config.uri();
        ModelBundle bundle = new BundleLoader(() -> new ArtifactStore(s3.settings())).load(uri);
        ServingModel model = new ServingModel(bundle, ModelInfo.of(uri, bundle.metadata(), config.name(), config.version()));
        LOG.infof("serving model %s version %s (run %s) from %s: %d trees (%s), features %s, classes %s; loaded in %d ms",
                model.info().name(), model.info().version(), model.info().runId(), uri, model.treeCount(),
                model.compiled() ? "compiled" : "Smile's trees", model.featureColumns(), model.classLabels(),
                (System.nanoTime() - start) / 1_000_000);
        return model;
    }
}
