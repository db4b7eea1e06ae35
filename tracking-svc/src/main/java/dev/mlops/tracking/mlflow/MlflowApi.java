package dev.mlops.tracking.mlflow;

/** Where MLflow's clients find the API: /api/2.0/mlflow, and /ajax-api/2.0/mlflow as MLflow's web UI calls it. */
final class MlflowApi {

    static final String PATH = "/{prefix:api|ajax-api}/2.0/mlflow";

    private MlflowApi() {
    }
}
