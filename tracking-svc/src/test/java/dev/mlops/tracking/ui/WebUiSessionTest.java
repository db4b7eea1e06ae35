package dev.mlops.tracking.ui;

import dev.mlops.common.event.Topics;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import dev.mlops.tracking.TopicContents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Signing in to the web UI: the token posted once buys an HttpOnly, SameSite=Strict cookie that reads the API; every
 * change also needs the session's CSRF token; forged, expired and signed-out sessions read nothing.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class WebUiSessionTest {

    @ConfigProperty(name = "mlops.api.token")
    String token;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    UiSessions sessions;

    @Test
    void signingInSetsAnHttpOnlyStrictCookieThatReadsTheApi() {
        Response signIn = signIn(token);
        signIn.then().statusCode(200).header("Cache-Control", "no-store");
        String setCookie = signIn.getHeader("Set-Cookie");
        assertThat(setCookie).startsWith(UiSessions.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").contains("Max-Age=43200");
        assertThat(signIn.asString()).as("the answer never echoes the token").doesNotContain(token);
        String csrf = signIn.path("csrfToken");
        assertThat(csrf).isNotBlank();

        String session = signIn.getCookie(UiSessions.COOKIE);
        given().auth().none().cookie(UiSessions.COOKIE, session).when().get("/pipelines").then().statusCode(200);
        given().auth().none().cookie(UiSessions.COOKIE, session).when().get("/ui/session")
                .then().statusCode(200).body("csrfToken", equalTo(csrf));
    }

    @Test
    void aWrongOrEmptyTokenIsRefusedWithoutACookie() {
        // tried: a wrong token, an empty one, and none at all
        for (String wrong : new String[] {"not-" + token, "", null}) {
            Response answer = wrong == null
                    ? given().auth().none().contentType(ContentType.URLENC).when().post("/ui/session")
                    : signIn(wrong);
            answer.then().statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"))
                    .body("message", containsString("./mlops token"));
            assertThat(answer.getHeader("Set-Cookie")).isNull();
        }
        given().auth().none().when().get("/ui/session").then().statusCode(401);
    }

    @Test
    void aChangeWithoutTheCsrfTokenIsRefusedAndStartsNothing() {
        Response signIn = signIn(token);
        String session = signIn.getCookie(UiSessions.COOKIE);
        String name = "csrf-" + UUID.randomUUID().toString().substring(0, 8);
        String spec = "{\"name\": \"" + name + "\", \"deploy\": {\"target\": \"none\"}}";

        // tried: no CSRF header (what a cross-site form would send), then a made-up one
        given().auth().none().cookie(UiSessions.COOKIE, session).contentType(ContentType.JSON).body(spec)
                .when().post("/pipelines")
                .then().statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"))
                .body("message", containsString("CSRF"));
        given().auth().none().cookie(UiSessions.COOKIE, session).header(UiSessions.CSRF_HEADER, "made-up")
                .contentType(ContentType.JSON).body(spec)
                .when().post("/pipelines")
                .then().statusCode(403);
        assertThat(TopicContents.matching(bootstrap, Topics.PIPELINE_REQUESTED, r -> r.value().contains(name)))
                .isEmpty();
        given().when().get("/pipelines?size=100").then().statusCode(200).body("runs.name", not(hasItem(name)));

        given().auth().none().cookie(UiSessions.COOKIE, session)
                .header(UiSessions.CSRF_HEADER, signIn.path("csrfToken").toString())
                .contentType(ContentType.JSON).body(spec)
                .when().post("/pipelines")
                .then().statusCode(202);
    }

    @Test
    void aForgedOrExpiredCookieReadsNothing() {
        String valid = signIn(token).getCookie(UiSessions.COOKIE);
        String forged = valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA");
        String longer = Instant.now().plus(Duration.ofDays(365)).getEpochSecond()
                + valid.substring(valid.indexOf('.'));
        String expired = sessions.openAt(Instant.now().minus(Duration.ofHours(13))).value();

        // tried: a changed signature, a pushed-back expiry with the old signature, a session 13 hours old, junk
        for (String cookie : new String[] {forged, longer, expired, "junk", "1.2.3"}) {
            given().auth().none().cookie(UiSessions.COOKIE, cookie).when().get("/pipelines")
                    .then().statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"));
            given().auth().none().cookie(UiSessions.COOKIE, cookie).when().get("/ui/session").then().statusCode(401);
        }
    }

    @Test
    void signingOutNeedsTheCsrfTokenAndClearsTheCookie() {
        Response signIn = signIn(token);
        String session = signIn.getCookie(UiSessions.COOKIE);

        given().auth().none().cookie(UiSessions.COOKIE, session).when().delete("/ui/session").then().statusCode(403);
        Response signOut = given().auth().none().cookie(UiSessions.COOKIE, session)
                .header(UiSessions.CSRF_HEADER, signIn.path("csrfToken").toString())
                .when().delete("/ui/session");

        signOut.then().statusCode(204);
        assertThat(signOut.getHeader("Set-Cookie")).startsWith(UiSessions.COOKIE + "=;").contains("Max-Age=0");
    }

    @Test
    void theUiFilesAreOpenCarryASecurityPolicyAndOpenNothingElse() {
        given().auth().none().when().get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")
                .then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff");
        // tried: reaching the API through the open prefix, plainly and encoded
        given().auth().none().urlEncodingEnabled(false).when().get("/ui/../pipelines").then().statusCode(401);
        given().auth().none().urlEncodingEnabled(false).when().get("/ui/..%2Fpipelines")
                .then().statusCode(not(equalTo(200)));
        given().auth().none().when().get("/ui/events").then().statusCode(401);
    }

    private static Response signIn(String presented) {
        return given().auth().none().contentType(ContentType.URLENC).formParam("token", presented)
                .when().post("/ui/session");
    }
}
