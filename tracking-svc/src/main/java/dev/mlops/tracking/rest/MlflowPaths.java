package dev.mlops.tracking.rest;

import java.util.regex.Pattern;

/** Requests to MLflow's API (/api/2.0/mlflow..., /ajax-api/2.0/mlflow...), which keeps MLflow's rules, not this API's. */
public final class MlflowPaths {

    private static final Pattern MLFLOW = Pattern.compile("/?(?:api|ajax-api)/2\\.0/mlflow(?:-artifacts)?(?:/.*)?");

    private MlflowPaths() {
    }

    public static boolean covers(String path) {
        return MLFLOW.matcher(path).matches();
    }
}
