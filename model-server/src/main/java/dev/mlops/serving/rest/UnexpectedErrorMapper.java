package dev.mlops.serving.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every other failure also answers in MLflow's error shape: HTTP errors keep their status, bugs answer 500. */
public class UnexpectedErrorMapper {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class);

    @ServerExceptionMapper
    public Response map(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = status == 404 ? "ENDPOINT_NOT_FOUND" : status < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR";
        return error(status, code, e.getMessage());
    }

    @ServerExceptionMapper
    public Response map(RuntimeException e) {
        LOG.error("scoring failed unexpectedly", e);
        return error(500, "INTERNAL_ERROR", "the server failed: " + e);
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(code, message)).build();
    }
}
