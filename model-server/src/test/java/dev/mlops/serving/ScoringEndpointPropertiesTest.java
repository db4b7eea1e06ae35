package dev.mlops.serving;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smaller number of {@link ScoringBodies} through {@code POST /invocations} of the running server: every answer is
 * 200 or a 4xx in MLflow's error shape, within seconds, with no exception text; the server scores afterwards.
 */
@QuarkusTest
@TestProfile(FolderModelProfile.class)
class ScoringEndpointPropertiesTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/invocations")
    URI invocations;

    @Test
    void jsonishBodiesAnswer200OrA4xxInTheErrorShape() throws Exception {
        sendAll("application/json", ScoringBodies.jsonish(), 120);
    }

    @Test
    void csvishBodiesAnswer200OrA4xxInTheErrorShape() throws Exception {
        sendAll("text/csv", ScoringBodies.csvish(), 60);
    }

    @Test
    void anyContentTypeAnswers200OrA4xxInTheErrorShape() throws Exception {
        List<String> types = ScoringBodies.contentType().sampleStream().limit(30).toList();
        List<String> bodies = ScoringBodies.jsonish().sampleStream().limit(30).toList();
        for (int i = 0; i < types.size(); i++) {
            assertAnswered(types.get(i), bodies.get(i));
        }
    }

    private void sendAll(String contentType, Arbitrary<String> bodies, int count) throws Exception {
        for (String body : bodies.sampleStream().limit(count).toList()) {
            assertAnswered(contentType, body);
        }
        HttpResponse<String> normal = send("application/json", ScoringRequests.json(Map.of("instances",
                List.of(BadRequestsTest.PASSENGER))));
        assertThat(normal.statusCode()).isEqualTo(200);
    }

    private void assertAnswered(String contentType, String body) throws Exception {
        HttpResponse<String> answer = send(contentType, body);
        String what = contentType + " " + dev.mlops.common.text.Text.quote(body, 300) + " answered " + answer.statusCode()
                + " " + answer.body();
        assertThat(answer.statusCode()).as(what).isIn(200, 400, 413, 415);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/json");
        assertThat(answer.body()).as(what).doesNotContain("Exception", "\tat ");
        if (answer.statusCode() != 200) {
            assertThat(ScoringRequests.tree(answer.body()).path("error_code").asText()).as(what).isNotBlank();
        }
    }

    private HttpResponse<String> send(String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(invocations).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
