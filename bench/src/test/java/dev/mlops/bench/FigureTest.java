package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FigureTest {

    static final Figure GRID = Figure.of("training", "grid search", 20, "s", "median of 3")
            .againstTime(60).withRatioTarget(Target.atLeast(2, "x"));
    static final Figure SERVING = Figure.of("serving", "1-record requests/s", 1000, "req/s", "wrk")
            .againstRate(200).withRatioTarget(Target.atLeast(10, "x"));
    static final Figure HOP = Figure.of("hops", "event hop p50", 12, "ms", "kafka").withTarget(Target.below(20, "ms"));
    static final Figure PLAIN = Figure.of("tracking", "metrics logged/s", 1234.5, "metrics/s", "4 threads");

    @Test
    void ratiosAreOrientedSoThatMoreIsBetter() {
        assertThat(GRID.ratio()).isEqualTo(3.0);
        assertThat(SERVING.ratio()).isEqualTo(5.0);
    }

    @Test
    void aTargetIsJudgedOnTheValueOrOnTheRatio() {
        assertThat(GRID.met()).isTrue();
        assertThat(SERVING.met()).isFalse();
        assertThat(HOP.met()).isTrue();
        assertThat(Figure.of("hops", "p50", 20, "ms", "").withTarget(Target.below(20, "ms")).met()).isFalse();
        assertThat(PLAIN.met()).isNull();
    }

    @Test
    void aDifferenceTargetJudgesTheDistanceToTheReferenceEitherWay() {
        Figure close = Figure.of("models", "accuracy", 0.95, "", "").againstRate(0.97)
                .withDifferenceTarget(Target.below(0.03, ""));
        assertThat(close.met()).isTrue();
        assertThat(close.ratio()).isEqualTo(0.95 / 0.97);
        assertThat(Figure.of("models", "accuracy", 0.93, "", "").againstRate(0.97)
                .withDifferenceTarget(Target.below(0.03, "")).met()).isFalse();
        assertThat(Figure.of("models", "accuracy", 0.99, "", "").againstRate(0.95)
                .withDifferenceTarget(Target.below(0.03, "")).met()).isFalse();
        assertThat(Figure.of("models", "accuracy", 0.99, "", "").withDifferenceTarget(Target.below(0.03, "")).met())
                .as("no reference to judge against").isNull();
        assertThat(ResultsTable.format(List.of(close)).lines().toList().get(2)).contains("| difference < 0.030 |")
                .endsWith("| pass |");
        assertThat(ResultsJson.of(Map.of(), List.of(close), Map.of()).get("figures").get(0).get("targetOn").asText())
                .isEqualTo("difference");
    }

    @Test
    void theTableShowsValuesWithUnitsReferencesRatiosTargetsAndVerdicts() {
        String table = ResultsTable.format(List.of(GRID, SERVING, HOP, PLAIN));
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith("| section ").contains("| figure ").contains("| target ");
        assertThat(lines.get(1)).matches("\\|( -+ \\|)+");
        assertThat(lines.get(2)).contains("| 20 s ").contains("| 60 s ").contains("| 3x ").contains("ratio >= 2x")
                .endsWith("| pass |");
        assertThat(lines.get(3)).contains("| 1,000 req/s ").contains("| 5x ").endsWith("| MISS |");
        assertThat(lines.get(4)).contains("< 20 ms").endsWith("| pass |");
        assertThat(lines.get(5)).contains("| 1,235 metrics/s ").endsWith("|      |");
        assertThat(lines.stream().map(String::length).distinct()).hasSize(1);
    }

    @Test
    void theJsonCarriesEveryFigureWithItsVerdictAndTheSectionsThatFailed() {
        ObjectNode json = ResultsJson.of(Map.of("options", "--runs 3"), List.of(GRID, SERVING, PLAIN),
                Map.of("image", "docker-registry is not installed"));
        JsonNode figures = json.get("figures");
        assertThat(figures).hasSize(3);
        assertThat(figures.get(0).get("value").asDouble()).isEqualTo(20.0);
        assertThat(figures.get(0).get("reference").asDouble()).isEqualTo(60.0);
        assertThat(figures.get(0).get("targetOn").asText()).isEqualTo("ratio");
        assertThat(figures.get(0).get("met").asBoolean()).isTrue();
        assertThat(figures.get(1).get("met").asBoolean()).isFalse();
        assertThat(figures.get(2).has("met")).isFalse();
        assertThat(figures.get(2).has("reference")).isFalse();
        assertThat(json.get("skipped").get("image").asText()).contains("not installed");
        assertThat(json.get("context").get("options").asText()).isEqualTo("--runs 3");
    }

    @Test
    void numbersKeepThreeSignificantDigitsOrWholeUnits() {
        assertThat(Figure.number(0.8314607)).isEqualTo("0.831");
        assertThat(Figure.number(4.567)).isEqualTo("4.57");
        assertThat(Figure.number(25.53)).isEqualTo("25.5");
        assertThat(Figure.number(20345.6)).isEqualTo("20,346");
        assertThat(Figure.number(3)).isEqualTo("3");
    }
}
