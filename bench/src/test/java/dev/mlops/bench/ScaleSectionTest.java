package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScaleSectionTest {

    @Test
    void growthIsTheTimeRatioPerTenfoldRows() {
        assertThat(ScaleSection.growthPerDecade(10, 100, 1)).isCloseTo(10, within(1e-9));
        // 10k -> 1M is two decades: 100x the time is 10x per decade, as linear work should be
        assertThat(ScaleSection.growthPerDecade(10, 1000, 2)).isCloseTo(10, within(1e-9));
        assertThat(ScaleSection.growthPerDecade(10, 40, 2)).isCloseTo(2, within(1e-9));
    }

    @Test
    void specRunsTheSmallGridOnEveryGeneratedFeatureAndDeploysOnlySmallSizes() {
        JsonNode small = Json.tree(ScaleSection.spec(10_000, "s3://datasets/a.csv"));
        assertThat(small.path("features").path("numeric")).hasSize(20);
        assertThat(small.path("features").path("numeric").get(19).asText()).isEqualTo("f19");
        assertThat(small.path("model").path("grid").path("max_depth").toString()).isEqualTo("[10,null]");
        assertThat(small.path("model").path("cv").asInt()).isEqualTo(3);
        assertThat(small.path("deploy").path("target").asText()).isEqualTo("local");
        JsonNode large = Json.tree(ScaleSection.spec(1_000_000, "s3://datasets/b.csv"));
        assertThat(large.path("deploy").path("target").asText()).isEqualTo("none");
    }

    @Test
    void heapIsSummedOverTheHeapPoolsOnly() {
        String metrics = """
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.097152E7
                jvm_gc_live_data_size_bytes 5.0E6
                """;
        assertThat(HeapPeaks.heapUsedBytes(metrics)).isEqualTo(3.145728E7);
        assertThat(HeapPeaks.heapUsedBytes("# no JVM metrics")).isNaN();
    }
}
