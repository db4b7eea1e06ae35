package dev.mlops.serving;

import dev.mlops.model.bundle.ModelBundle;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.mlops.serving.ScoringRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The admin API deploy-svc swaps models with, over real HTTP: a server started with no model is not ready, a staged
 * model answers only on the admin path, promote swaps under concurrent load without a failed request, and nothing
 * answers without the token or from another address than loopback.
 */
@QuarkusTest
@TestProfile(AdminModelProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiTest {

    private static final String TOKEN_HEADER = "X-Mlops-Admin-Token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL base;

    @Test
    @Order(1)
    void withNoModelTheServerIsNotReadyAndScoresNothing() throws Exception {
        assertThat(send("GET", "ping", null, null).statusCode()).isEqualTo(503);
        assertThat(send("GET", "q/health/ready", null, null).statusCode()).isEqualTo(503);
        HttpResponse<String> scored = send("POST", "invocations", scoringBody(), null);
        assertThat(scored.statusCode()).isEqualTo(503);
        assertThat(scored.body()).contains("no model is served yet");
    }

    @Test
    @Order(2)
    void theAdminApiWantsItsToken() throws Exception {
        String stage = json(Map.of("uri", "file:" + TestModel.folder()));
        assertThat(send("PUT", "admin/model/staged", stage, null).statusCode()).isEqualTo(401);
        assertThat(send("PUT", "admin/model/staged", stage, "wrong").statusCode()).isEqualTo(401);
        assertThat(send("POST", "admin/model/promote", "", "wrong").statusCode()).isEqualTo(401);
        assertThat(send("GET", "ping", null, null).statusCode()).as("nothing was staged or promoted").isEqualTo(503);
    }

    @Test
    @Order(3)
    void aStagedModelAnswersOnTheAdminPathOnlyUntilPromoted() throws Exception {
        HttpResponse<String> staged = send("PUT", "admin/model/staged",
                json(Map.of("uri", "file:" + TestModel.folder(), "name", "titanic", "version", "41")), AdminModelProfile.TOKEN);
        assertThat(staged.statusCode()).as(staged.body()).isEqualTo(200);
        assertThat(staged.body()).contains("\"version\":\"41\"");

        assertThat(predictions(send("POST", "admin/model/staged/invocations", scoringBody(), AdminModelProfile.TOKEN)))
                .isEqualTo(expected(TestModel.bundle()));
        assertThat(send("POST", "invocations", scoringBody(), null).statusCode()).as("users still get no model").isEqualTo(503);

        assertThat(send("POST", "admin/model/promote", "", AdminModelProfile.TOKEN).statusCode()).isEqualTo(200);
        assertThat(send("GET", "ping", null, null).statusCode()).isEqualTo(200);
        assertThat(predictions(send("POST", "invocations", scoringBody(), null))).isEqualTo(expected(TestModel.bundle()));
        assertThat(send("GET", "version", null, null).body()).contains("\"version\":\"41\"");
        assertThat(send("POST", "admin/model/staged/invocations", scoringBody(), AdminModelProfile.TOKEN).statusCode())
                .as("promote empties the staged slot").isEqualTo(409);
    }

    @Test
    @Order(4)
    void promoteSwapsModelsUnderConcurrentLoadWithoutAFailedRequest() throws Exception {
        List<Object> before = expected(TestModel.bundle());
        List<Object> after = expected(TestModel.other());
        assertThat(after).as("the two models must differ to tell them apart").isNotEqualTo(before);
        assertThat(send("PUT", "admin/model/staged", json(Map.of("uri", "file:" + TestModel.otherFolder(),
                "version", "42")), AdminModelProfile.TOKEN).statusCode()).isEqualTo(200);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<List<Object>> answers = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        for (int c = 0; c < 8; c++) {
            clients.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> answer = send("POST", "invocations", scoringBody(), null);
                        sent.incrementAndGet();
                        if (answer.statusCode() != 200) {
                            failures.add(answer.statusCode() + " " + answer.body());
                        } else {
                            answers.add(predictions(answer));
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            });
        }
        awaitSent(sent, 50);
        assertThat(send("POST", "admin/model/promote", "", AdminModelProfile.TOKEN).statusCode()).isEqualTo(200);
        int atPromote = sent.get();
        awaitSent(sent, atPromote + 50);
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(failures).as("failed requests among %d", sent.get()).isEmpty();
        assertThat(answers).as("every answer is one model's, whole").allMatch(a -> a.equals(before) || a.equals(after));
        assertThat(answers).contains(before, after);
        assertThat(predictions(send("POST", "invocations", scoringBody(), null))).isEqualTo(after);
        assertThat(send("GET", "version", null, null).body()).contains("\"version\":\"42\"");
    }

    @Test
    @Order(5)
    void aDiscardedStagedModelCannotBePromoted() throws Exception {
        assertThat(send("PUT", "admin/model/staged", json(Map.of("uri", "file:" + TestModel.folder())),
                AdminModelProfile.TOKEN).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "admin/model/staged", null, AdminModelProfile.TOKEN).statusCode()).isEqualTo(204);
        assertThat(send("POST", "admin/model/promote", "", AdminModelProfile.TOKEN).statusCode()).isEqualTo(409);
        assertThat(predictions(send("POST", "invocations", scoringBody(), null))).isEqualTo(expected(TestModel.other()));
    }

    @Test
    @Order(6)
    void aBundleThatCannotBeReadIsRefusedNamingIt() throws Exception {
        HttpResponse<String> refused = send("PUT", "admin/model/staged", json(Map.of("uri", "file:/no/such/bundle")),
                AdminModelProfile.TOKEN);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("there is no folder /no/such/bundle");
    }

    @Test
    @Order(7)
    void theAdminApiRefusesAnyAddressButLoopbackEvenWithTheToken() throws Exception {
        Optional<InetAddress> outside = nonLoopbackAddress();
        assumeTrue(outside.isPresent(), "this machine has no non-loopback IPv4 address");
        URI admin = URI.create("http://" + outside.get().getHostAddress() + ":" + base.getPort() + "/admin/model");
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(admin).header(TOKEN_HEADER, AdminModelProfile.TOKEN)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(send("GET", "admin/model", null, AdminModelProfile.TOKEN).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.toURI().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header(TOKEN_HEADER, token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String scoringBody() {
        return json(Map.of("dataframe_records", ScoringRequests.rawRecords(TestModel.raw())));
    }

    private static List<Object> expected(ModelBundle bundle) {
        return ScoringRequests.expected(bundle, TestModel.raw());
    }

    private static List<Object> predictions(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<Object> labels = new ArrayList<>();
        ScoringRequests.tree(answer.body()).path("predictions").forEach(p -> labels.add(p.asInt()));
        return labels;
    }

    private static void awaitSent(AtomicInteger sent, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sent.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
