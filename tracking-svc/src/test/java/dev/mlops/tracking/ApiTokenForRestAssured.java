package dev.mlops.tracking;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes every RestAssured request of the @QuarkusTest classes send the API token (%test.mlops.api.token) as
 * {@code Authorization: Bearer}; a test opts out with {@code given().auth().none()} or another token.
 * Registered in META-INF/services, and run by Quarkus in the test's class loader.
 */
public class ApiTokenForRestAssured implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.authentication = RestAssured.oauth2(
                ConfigProvider.getConfig().getValue("mlops.api.token", String.class));
    }
}
