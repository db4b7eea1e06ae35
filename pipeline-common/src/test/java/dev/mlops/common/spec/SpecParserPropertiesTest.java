package dev.mlops.common.spec;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a user posts as a spec, or anyone writes to a stage topic, is either accepted or refused with the
 * parser's own exception, quickly: never another exception (a 500 in the API, a dead consumer in a stage), never a
 * hang. Inputs, from a fixed seed so a failure reproduces: random strings, the valid document with a character
 * replaced, cut or a slice repeated, and deep nesting. Bounded: 2,000 inputs per property.
 */
class SpecParserPropertiesTest {

    private static final String DATASET = "file:/data/titanic.csv";
    private static final String VALID_SPEC = Json.write(PipelineSpec.defaults(DATASET));
    private static final String VALID_EVENT = Json.write(StageEvent.requested("run-1", PipelineSpec.defaults(DATASET)));
    private static final int TRIES = 2_000;

    @Test
    void anyBodyIsASpecOrANamedRefusal() {
        forEachInput(new Random(17), VALID_SPEC, body -> {
            try {
                PipelineSpecs.validate(PipelineSpecs.parse(body, DATASET));
            } catch (InvalidSpecException expected) {
                assertThat(expected.getMessage()).isNotBlank();
                assertThat(expected.getMessage().length()).as("an error never echoes a whole body").isLessThan(2_000);
            }
        });
    }

    @Test
    void anyRecordIsAnEventOrAnInvalidEvent() {
        forEachInput(new Random(23), VALID_EVENT, payload -> {
            try {
                assertThat(EventJson.readStageEvent(payload).runId()).isNotBlank();
            } catch (InvalidEventException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        });
    }

    private static void forEachInput(Random random, String valid, Consumer<String> check) {
        for (int i = 0; i < TRIES; i++) {
            String input = switch (i % 5) {
                case 0 -> randomString(random, 300);
                case 1 -> replaceOne(random, valid);
                case 2 -> valid.substring(0, random.nextInt(valid.length()));
                case 3 -> repeatSlice(random, valid);
                default -> nested(random.nextInt(20_000) + 1);
            };
            within(input, check);
        }
    }

    private static String randomString(Random random, int maxLength) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(maxLength);
        String json = "{}[]\":,0123456789.-eE \\untrufalsenl";
        for (int i = 0; i < length; i++) {
            s.append(random.nextBoolean() ? json.charAt(random.nextInt(json.length())) : (char) random.nextInt(0x3000));
        }
        return s.toString();
    }

    private static String replaceOne(Random random, String valid) {
        int at = random.nextInt(valid.length());
        return valid.substring(0, at) + (char) random.nextInt(0x3000) + valid.substring(at + 1);
    }

    private static String repeatSlice(Random random, String valid) {
        int a = random.nextInt(valid.length());
        int b = random.nextInt(valid.length());
        return valid.substring(0, Math.max(a, b)) + valid.substring(Math.min(a, b));
    }

    private static String nested(int depth) {
        return "{\"features\": {\"numeric\": " + "[".repeat(depth) + "]".repeat(depth) + "}}";
    }

    private static void within(String input, Consumer<String> check) {
        try {
            CompletableFuture.runAsync(() -> check.accept(input)).get(Duration.ofSeconds(5).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("input " + abbreviated(input) + " threw " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("input " + abbreviated(input) + " was not answered within 5 s", e);
        }
    }

    private static String abbreviated(String input) {
        return dev.mlops.common.text.Text.quote(input, 300);
    }
}
