package dev.mlops.tracking.service;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.Run;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Scores records with the model a run deployed, through the serving URL its deploy recorded: the web UI's "try it"
 * box. tracking-svc forwards, so a browser needs no route to the serving endpoint (in a cluster it has none).
 */
@ApplicationScoped
public class ServedModel {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The model-server's answer, as it sent it. */
    public record Answer(int status, String contentType, String body) {
    }

    /** The serving endpoint did not answer. */
    public static class Unreachable extends RuntimeException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final RunService runs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ServedModel(RunService runs) {
        this.runs = runs;
    }

    /** POSTs {@code body} (MLflow's scoring JSON) to the run's serving URL. */
    public Answer score(String runId, String body) {
        Run run = runs.require(runId);
        if (run.servingUrl == null || run.servingUrl.isBlank()) {
            throw new InvalidState("run " + runId + " serves no model: its deploy stage has not completed");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(run.servingUrl)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body)).build();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(answer.statusCode(),
                    answer.headers().firstValue("Content-Type").orElse("application/json"), answer.body());
        } catch (IOException e) {
            throw new Unreachable("the model of run " + runId + " does not answer at " + run.servingUrl + ": "
                    + Text.quote(String.valueOf(e.getMessage())) + " (has it been replaced or stopped?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while scoring with run " + runId + "'s model", e);
        }
    }
}
