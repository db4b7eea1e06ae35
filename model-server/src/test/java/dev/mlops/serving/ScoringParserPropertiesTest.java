package dev.mlops.serving;

import dev.mlops.common.text.Text;
import dev.mlops.serving.service.InvalidInputException;
import dev.mlops.serving.service.ModelInfo;
import dev.mlops.serving.service.RequestParser;
import dev.mlops.serving.service.ServingModel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Arbitrary JSON-ish and CSV-ish bodies through the scoring parser and the whole scoring path (parser, feature rows,
 * forest), called directly: each either scores or is refused with a 4xx {@link InvalidInputException}; never another
 * exception (a 500) and never longer than a few seconds. Bodies from {@link ScoringBodies} with a fixed seed per test,
 * so a failure reproduces. Bounded: a few hundred tries of bodies up to a few hundred KB, each within 5 s.
 */
class ScoringParserPropertiesTest {

    private static final Duration NO_HANG = Duration.ofSeconds(5);
    private static final ServingModel MODEL = new ServingModel(TestModel.bundle(),
            ModelInfo.of("file:" + TestModel.folder(), TestModel.bundle().metadata(), Optional.empty(), Optional.empty()));
    private final RequestParser parser = new RequestParser();

    @Test
    void jsonishBodiesAreScoredOrRefusedWithA4xx() {
        forEachTry(43, 400, random -> new Body("application/json", ScoringBodies.jsonish(random)),
                ScoringParserPropertiesTest::assertScoredOrRefused);
    }

    @Test
    void csvishBodiesAreScoredOrRefusedWithA4xx() {
        forEachTry(47, 300, random -> new Body("text/csv", ScoringBodies.csvish(random)),
                ScoringParserPropertiesTest::assertScoredOrRefused);
    }

    @Test
    void anyContentTypeIsScoredOrRefusedWithA4xx() {
        forEachTry(53, 100, random -> new Body(ScoringBodies.contentType(random), ScoringBodies.jsonish(random)),
                ScoringParserPropertiesTest::assertScoredOrRefused);
    }

    @Test
    void nestingPastTheLimitIsA400NamingIt() {
        forEachTry(59, 50, random -> new Body("application/json", ScoringBodies.deeplyNested(random)), body -> {
            Throwable refused = catchThrowable(() -> parser.parse(body.contentType(), bytes(body.text())));

            assertThat(refused).isInstanceOf(InvalidInputException.class).hasMessageContaining("nests deeper than 64 levels");
            assertThat(((InvalidInputException) refused).status()).isEqualTo(400);
        });
    }

    @Test
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

    private static void assertScoredOrRefused(Body body) {
        Throwable thrown = catchThrowable(() -> MODEL.score(body.contentType(), bytes(body.text())));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(InvalidInputException.class);
            InvalidInputException refused = (InvalidInputException) thrown;
            assertThat(refused.status()).isBetween(400, 499);
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("Exception").doesNotContain("\n\tat ");
        }
    }

    /** {@code tries} bodies from a Random seeded with {@code seed}, each checked within {@link #NO_HANG}. */
    private static void forEachTry(long seed, int tries, Function<Random, Body> bodies, Consumer<Body> check) {
        Random random = new Random(seed);
        for (int i = 0; i < tries; i++) {
            Body body = bodies.apply(random);
            Throwable failed = catchThrowable(() -> assertTimeoutPreemptively(NO_HANG, () -> check.accept(body)));
            if (failed != null) {
                throw new AssertionError("seed " + seed + ", try " + i + ", " + body + ": " + failed, failed);
            }
        }
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    record Body(String contentType, String text) {
        @Override
        public String toString() {
            return "Content-Type " + Text.quote(contentType) + ", body " + Text.quote(text, 300);
        }
    }
}
