package dev.mlops.tracking.mlflow;

import org.eclipse.microprofile.config.ConfigProvider;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

import java.net.URL;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The official MLflow Java client pointed at the test's tracking-svc, with the API token as MLFLOW_TRACKING_TOKEN. */
final class MlflowClients {

    private MlflowClients() {
    }

    static MlflowClient client(URL root) {
        String uri = root.toString().replaceAll("/$", "");
        return new MlflowClient(new BasicMlflowHostCreds(uri,
                ConfigProvider.getConfig().getValue("mlops.api.token", String.class)));
    }

    /** What the client throws for {@code call}, checked to carry MLflow's error code and HTTP status. */
    static MlflowHttpException refused(Runnable call, int status, String errorCode) {
        MlflowHttpException e = catchThrowableOfType(call::run, MlflowHttpException.class);
        assertThat(e).as("the client call should have been refused").isNotNull();
        assertThat(e.getStatusCode()).isEqualTo(status);
        assertThat(e.getBodyMessage()).contains("\"error_code\":\"" + errorCode + "\"");
        return e;
    }
}
