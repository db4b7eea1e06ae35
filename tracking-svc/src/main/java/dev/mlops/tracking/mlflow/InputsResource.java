package dev.mlops.tracking.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mlops.tracking.repository.DatasetInputRepository;
import dev.mlops.tracking.rest.IgnoresUnknownQueryParameters;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.service.RunInputs;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** MLflow's runs/log-inputs (service.proto LogInputs: DatasetInput, Dataset, InputTag), and a run's inputs as runs/get shows them. */
@Path(MlflowApi.PATH)
@Produces(MediaType.APPLICATION_JSON)
@IgnoresUnknownQueryParameters
@Tag(name = "MLflow runs", description = "MLflow REST API 2.0: runs, what they log, metric history")
public class InputsResource {

    private final RunInputs runInputs;

    public InputsResource(RunInputs runInputs) {
        this.runInputs = runInputs;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DatasetView(String name, String digest, String sourceType, String source, String schema, String profile) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record DatasetInputView(List<MlflowViews.KeyValue> tags, DatasetView dataset) {
    }

    @POST
    @Path("runs/log-inputs")
    public Map<String, Object> logInputs(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        List<MlflowRequest> datasets = request.list("datasets");
        runInputs.log(request.runId(), datasets.stream().map(InputsResource::datasetInput).toList());
        return Map.of();
    }

    /** runs/get's {@code inputs}: {@code {}} without any, as MLflow's JSON leaves an empty list out. */
    static Map<String, Object> inputs(List<DatasetInputRepository.Input> inputs) {
        if (inputs.isEmpty()) {
            return Map.of();
        }
        return Map.of("dataset_inputs", inputs.stream().map(input -> new DatasetInputView(
                input.tags().entrySet().stream().map(t -> new MlflowViews.KeyValue(t.getKey(), t.getValue())).toList(),
                view(input.dataset()))).toList());
    }

    private static DatasetView view(DatasetInputRepository.Dataset d) {
        return new DatasetView(d.name(), d.digest(), d.sourceType(), d.source(), d.schema(), d.profile());
    }

    private static RunInputs.DatasetInput datasetInput(MlflowRequest input) {
        MlflowRequest dataset = input.object("dataset");
        Map<String, String> tags = new LinkedHashMap<>();
        for (MlflowRequest tag : input.list("tags")) {
            String key = tag.string("key");
            if (tags.put(key, tag.string("value")) != null) {
                throw new InvalidInput("tags", "input tag '" + key + "' is given twice");
            }
        }
        return new RunInputs.DatasetInput(dataset == null ? null : new DatasetInputRepository.Dataset(
                dataset.string("name"), dataset.string("digest"), dataset.string("source_type"),
                dataset.string("source"), dataset.string("schema"), dataset.string("profile")), tags);
    }
}
