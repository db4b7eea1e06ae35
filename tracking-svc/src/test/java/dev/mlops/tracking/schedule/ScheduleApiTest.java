package dev.mlops.tracking.schedule;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** POST/GET/PATCH/DELETE /schedules: what is stored and answered, and every bad input refused with nothing stored. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class ScheduleApiTest {

    @AfterEach
    void cleanUp() {
        deleteEverySchedule();
    }

    static void deleteEverySchedule() {
        List<String> names = given().get("/schedules").then().statusCode(200).extract().path("schedules.name");
        names.forEach(name -> given().delete("/schedules/" + name).then().statusCode(204));
    }

    @Test
    void aScheduleIsCreatedListedReadAndDeleted() {
        Response created = create("{\"name\": \"nightly\", \"cron\": \"0 2 * * *\", \"timezone\": \"Europe/Paris\","
                + " \"concurrencyPolicy\": \"Forbid\", \"spec\": {\"deploy\": {\"target\": \"none\"}}}");
        created.then().statusCode(201).header("Location", containsString("/schedules/nightly"))
                .body("name", equalTo("nightly")).body("cron", equalTo("0 2 * * *"))
                .body("timezone", equalTo("Europe/Paris")).body("concurrencyPolicy", equalTo("Forbid"))
                .body("suspend", equalTo(false)).body("spec.deploy.target", equalTo("none"))
                .body("spec.model.type", equalTo("random_forest")).body("lastRunId", nullValue());
        // the next 02:00 in Paris, within a day
        ZonedDateTime next = Instant.parse(created.path("nextRunAt")).atZone(ZoneId.of("Europe/Paris"));
        assertThat(next.toLocalTime()).isEqualTo(LocalTime.of(2, 0));
        assertThat(next.toInstant()).isBetween(Instant.now(), Instant.now().plusSeconds(24 * 3600));

        create("{\"name\": \"hourly\", \"cron\": \"@hourly\"}").then().statusCode(201)
                .body("timezone", equalTo("UTC")).body("concurrencyPolicy", equalTo("Allow"))
                .body("spec.name", equalTo("titanic"));
        given().get("/schedules").then().statusCode(200).body("schedules.name", equalTo(List.of("hourly", "nightly")));
        given().get("/schedules/nightly").then().statusCode(200).body("cron", equalTo("0 2 * * *"))
                .body("nextRunAt", equalTo(created.path("nextRunAt")));

        given().delete("/schedules/nightly").then().statusCode(204);
        given().get("/schedules/nightly").then().statusCode(404);
        given().delete("/schedules/nightly").then().statusCode(404);
        given().get("/schedules").then().body("schedules.name", equalTo(List.of("hourly")));
    }

    @Test
    void everyNicknameKubernetesTakesIsAccepted() {
        for (String nickname : List.of("@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually")) {
            create("{\"name\": \"n" + nickname.substring(1) + "\", \"cron\": \"" + nickname + "\"}")
                    .then().statusCode(201).body("nextRunAt", not(nullValue()));
        }
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndNothingIsCreated() {
        refused("{\"name\": \"bad-cron\", \"cron\": \"61 * * * *\"}", "cron", "not a cron expression");
        refused("{\"name\": \"six-fields\", \"cron\": \"0 0 2 * * *\"}", "cron", "not a cron expression");
        refused("{\"name\": \"reboot\", \"cron\": \"@reboot\"}", "cron", "not a cron expression");
        refused("{\"name\": \"february-30\", \"cron\": \"0 0 30 2 *\"}", "cron", "never fires");
        refused("{\"name\": \"no-cron\"}", "cron", "cron is required");
        refused("{\"name\": \"bad-zone\", \"cron\": \"@daily\", \"timezone\": \"Mars/Olympus\"}", "timezone",
                "not a time-zone id");
        refused("{\"name\": \"bad-policy\", \"cron\": \"@daily\", \"concurrencyPolicy\": \"forbid\"}",
                "concurrencyPolicy", "must be one of [Allow, Forbid, Replace]");
        // the spec is held to POST /pipelines' rules, its fields named under spec.
        refused("{\"name\": \"bad-spec\", \"cron\": \"@daily\", \"spec\": {\"split\": {\"testSize\": 2}}}",
                "spec.split.testSize", "split.testSize must be between 0 and 1");
        refused("{\"name\": \"unknown-spec-field\", \"cron\": \"@daily\", \"spec\": {\"modle\": {}}}",
                "spec.modle", "unknown field");
        refused("{\"name\": \"spec-not-object\", \"cron\": \"@daily\", \"spec\": 5}", "spec", "spec");
        refused("{\"name\": \"bad name!\", \"cron\": \"@daily\"}", "name", "name must be");
        refused("{\"cron\": \"@daily\"}", "name", "name must be");
        refused("{\"name\": \"typo\", \"cron\": \"@daily\", \"suspended\": true}", "suspended", "unknown field");
        given().get("/schedules").then().body("schedules", equalTo(List.of()));

        // a taken name: 409, and the schedule that has it is unchanged
        create("{\"name\": \"taken\", \"cron\": \"@daily\"}").then().statusCode(201);
        create("{\"name\": \"taken\", \"cron\": \"@hourly\"}").then().statusCode(409)
                .body("error_code", equalTo("RESOURCE_ALREADY_EXISTS"));
        given().get("/schedules").then().body("schedules.cron", equalTo(List.of("@daily")));

        // a change is held to the same rules, and a refused one changes nothing
        patch("taken", "{\"cron\": \"every day\"}").then().statusCode(400).body("field", equalTo("cron"));
        patch("taken", "{\"name\": \"renamed\"}").then().statusCode(400).body("field", equalTo("name"));
        patch("taken", "{\"spec\": {\"gate\": {\"minAccuracy\": 3}}}").then().statusCode(400)
                .body("field", equalTo("spec.gate.minAccuracy"));
        given().get("/schedules/taken").then().body("cron", equalTo("@daily")).body("spec.gate.minAccuracy",
                equalTo(0.75f));
        patch("missing", "{\"suspend\": true}").then().statusCode(404);
    }

    @Test
    void suspendingClearsTheNextTickAndResumingSetsItFromNow() {
        create("{\"name\": \"pausable\", \"cron\": \"*/5 * * * *\"}").then().statusCode(201);
        patch("pausable", "{\"suspend\": true}").then().statusCode(200)
                .body("suspend", equalTo(true)).body("nextRunAt", nullValue());
        given().get("/schedules/pausable").then().body("suspend", equalTo(true)).body("nextRunAt", nullValue());

        Response resumed = patch("pausable", "{\"suspend\": false}");
        resumed.then().statusCode(200).body("suspend", equalTo(false));
        assertThat(Instant.parse(resumed.path("nextRunAt"))).isBetween(Instant.now(), Instant.now().plusSeconds(301));

        create("{\"name\": \"born-suspended\", \"cron\": \"@daily\", \"suspend\": true}").then().statusCode(201)
                .body("suspend", equalTo(true)).body("nextRunAt", nullValue());
    }

    @Test
    void schedulesNeedTheApiToken() {
        given().auth().none().get("/schedules").then().statusCode(401);
        given().auth().none().contentType(ContentType.JSON).body("{\"name\": \"sneaky\", \"cron\": \"@daily\"}")
                .post("/schedules").then().statusCode(401);
        given().get("/schedules").then().body("schedules.name", not(hasItem("sneaky")));
    }

    private static void refused(String body, String field, String message) {
        create(body).then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo(field)).body("message", containsString(message));
    }

    static Response create(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/schedules");
    }

    static Response patch(String name, String body) {
        return given().contentType(ContentType.JSON).body(body).when().patch("/schedules/" + name);
    }
}
