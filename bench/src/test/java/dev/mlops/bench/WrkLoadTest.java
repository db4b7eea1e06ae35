package dev.mlops.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WrkLoadTest {

    @Test
    void readsTheSummaryLineOfTheReferencesWrkScript() {
        String output = """
                Running 20s test @ http://127.0.0.1:8090/invocations
                  2 threads and 16 connections
                WRK_JSON {"requests":61234,"duration_s":20.001,"requests_per_s":3061.55,"bytes_read":1234,\
                "errors":{"connect":0,"read":1,"write":0,"status":2,"timeout":0},"latency_ms":{"mean":5.1,"stdev":2.0,\
                "max":40.2,"p50":4.93,"p75":6.0,"p90":8.0,"p99":16.02,"p99_9":30.0},"distinct_bodies":178}
                """;
        Wrk.Load load = Wrk.Load.parse(output);
        assertThat(load.requestsPerSecond()).isEqualTo(3061.55);
        assertThat(load.p50Ms()).isEqualTo(4.93);
        assertThat(load.p99Ms()).isEqualTo(16.02);
        assertThat(load.requests()).isEqualTo(61234);
        assertThat(load.errors()).isEqualTo(3);
    }

    @Test
    void outputWithoutTheSummarySaysSo() {
        assertThatThrownBy(() -> Wrk.Load.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .hasMessageContaining("no WRK_JSON summary").hasMessageContaining("Connection refused");
    }
}
