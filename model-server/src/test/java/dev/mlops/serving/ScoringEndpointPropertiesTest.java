package dev.mlops.serving;

import dev.mlops.common.text.Text;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smaller number of {@link ScoringBodies} through {@code POST /invocations} of the running server: every answer is
 * 200 or a 4xx in MLflow's error shape, within seconds, with no exception text; the server scores afterwards. A fixed
 * seed per test, so a failure reproduces.
 */
@QuarkusTest
@TestProfile(FolderModelProfile.class)
class ScoringEndpointPropertiesTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/invocations")
    URI invocations;

    @Test
    void jsonishBodiesAnswer200OrA4xxInTheErrorShape() throws Exception {
        sendAll(61, 120, random -> "application/json", ScoringBodies::jsonish);
    }

    @Test
    void csvishBodiesAnswer200OrA4xxInTheErrorShape() throws Exception {
        sendAll(67, 60, random -> "text/csv", ScoringBodies::csvish);
    }

    @Test
    void anyContentTypeAnswers200OrA4xxInTheErrorShape() throws Exception {
        sendAll(71, 30, ScoringBodies::contentType, ScoringBodies::jsonish);
    }

    private void sendAll(long seed, int count, Function<Random, String> contentTypes, Function<Random, String> bodies)
            throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            String contentType = contentTypes.apply(random);
            String body = bodies.apply(random);
            assertAnswered("seed " + seed + ", try " + i + ": ", contentType, body);
        }
        HttpResponse<String> normal = send("application/json", ScoringRequests.json(Map.of("instances",
                List.of(BadRequestsTest.PASSENGER))));
        assertThat(normal.statusCode()).isEqualTo(200);
    }

    private void assertAnswered(String which, String contentType, String body) throws Exception {
        HttpResponse<String> answer = send(contentType, body);
        String what = which + "Content-Type " + Text.quote(contentType) + ", body " + Text.quote(body, 300) + " answered "
                + answer.statusCode() + " " + Text.quote(answer.body());
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
