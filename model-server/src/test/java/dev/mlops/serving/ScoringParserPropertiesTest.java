package dev.mlops.serving;

import dev.mlops.serving.service.InvalidInputException;
import dev.mlops.serving.service.ModelInfo;
import dev.mlops.serving.service.RequestParser;
import dev.mlops.serving.service.ServingModel;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Arbitrary JSON-ish and CSV-ish bodies through the scoring parser and the whole scoring path (parser, feature rows,
 * forest), called directly: each either scores or is refused with a 4xx {@link InvalidInputException}; never another
 * exception (a 500) and never longer than a few seconds. Bounded: a few hundred tries of bodies up to a few hundred KB.
 */
class ScoringParserPropertiesTest {

    private static final Duration NO_HANG = Duration.ofSeconds(5);
    private static final ServingModel MODEL = new ServingModel(TestModel.bundle(),
            ModelInfo.of("file:" + TestModel.folder(), TestModel.bundle().metadata(), Optional.empty(), Optional.empty()));
    private final RequestParser parser = new RequestParser();

    @Property(tries = 400)
    void jsonishBodiesAreScoredOrRefusedWithA4xx(@ForAll("jsonish") String body) {
        assertScoredOrRefused("application/json", body);
    }

    @Property(tries = 300)
    void csvishBodiesAreScoredOrRefusedWithA4xx(@ForAll("csvish") String body) {
        assertScoredOrRefused("text/csv", body);
    }

    @Property(tries = 100)
    void anyContentTypeIsScoredOrRefusedWithA4xx(@ForAll("contentType") String contentType, @ForAll("jsonish") String body) {
        assertScoredOrRefused(contentType, body);
    }

    @Property(tries = 50)
    void nestingPastTheLimitIsA400NamingIt(@ForAll("deeplyNested") String body) {
        Throwable refused = catchThrowable(() -> assertTimeoutPreemptively(NO_HANG, () -> parser.parse("application/json", bytes(body))));

        assertThat(refused).isInstanceOf(InvalidInputException.class).hasMessageContaining("nests deeper than 64 levels");
        assertThat(((InvalidInputException) refused).status()).isEqualTo(400);
    }

    @Example
    void tenThousandLevelsInEveryFormatAreA400NamingTheLimit() {
        for (String format : new String[] {"inputs", "dataframe_records", "instances"}) {
            String body = "{\"" + format + "\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";

            Throwable refused = catchThrowable(() -> parser.parse("application/json", bytes(body)));

            assertThat(refused).as(format).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("the JSON body nests deeper than 64 levels");
            assertThat(((InvalidInputException) refused).status()).isEqualTo(400);
            assertThat(((InvalidInputException) refused).errorCode()).isEqualTo("BAD_REQUEST");
        }
    }

    private static void assertScoredOrRefused(String contentType, String body) {
        Throwable thrown = catchThrowable(() -> assertTimeoutPreemptively(NO_HANG, () -> MODEL.score(contentType, bytes(body))));

        if (thrown != null) {
            assertThat(thrown).as("what %s %s gave", contentType, abbreviated(body)).isInstanceOf(InvalidInputException.class);
            InvalidInputException refused = (InvalidInputException) thrown;
            assertThat(refused.status()).isBetween(400, 499);
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("Exception").doesNotContain("\n\tat ");
        }
    }

    private static String abbreviated(String body) {
        return dev.mlops.common.text.Text.quote(body, 300);
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> jsonish() {
        return ScoringBodies.jsonish();
    }

    @Provide
    Arbitrary<String> csvish() {
        return ScoringBodies.csvish();
    }

    @Provide
    Arbitrary<String> contentType() {
        return ScoringBodies.contentType();
    }

    @Provide
    Arbitrary<String> deeplyNested() {
        return ScoringBodies.deeplyNested();
    }
}
