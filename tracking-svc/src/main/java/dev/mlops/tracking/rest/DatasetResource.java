package dev.mlops.tracking.rest;

import dev.mlops.tracking.service.DatasetUploads;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;

/** Datasets from the user's disk: uploaded once, then named by their {@code s3://} URI in a spec. */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Datasets", description = "Upload a CSV dataset for runs to read")
public class DatasetResource {

    private final DatasetUploads uploads;

    public DatasetResource(DatasetUploads uploads) {
        this.uploads = uploads;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload a CSV file (the request body) as ?name=<file>.csv",
            description = "Stored in the artifact bucket; the answer's uri goes into a spec's dataset.uri.")
    @APIResponse(responseCode = "201", description = "{\"uri\", \"sha256\", \"bytes\", \"columns\"}")
    @APIResponse(responseCode = "400", description = "No or a bad name, or the file is not a CSV dataset")
    @APIResponse(responseCode = "413", description = "Over mlops.datasets.max-upload-bytes")
    public Response upload(@QueryParam("name") String name, InputStream body) {
        return Response.status(Response.Status.CREATED).entity(uploads.upload(name, body)).build();
    }
}
