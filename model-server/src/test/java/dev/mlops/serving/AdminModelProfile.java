package dev.mlops.serving;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** A warm server as deploy-svc starts it: no model at start, the admin API on with a token, listening on every address. */
public class AdminModelProfile implements QuarkusTestProfile {

    public static final String TOKEN = "test-admin-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mlops.model.load-at-start", "false",
                "mlops.model.admin-token", TOKEN,
                "quarkus.http.host", "0.0.0.0");
    }
}
