package dev.mlops.serving.rest;

import dev.mlops.common.text.Text;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/**
 * Every other failure also answers in MLflow's error shape: HTTP errors keep their status, bugs answer 500. No
 * exception class, message or stack trace goes back to the client: a 500 names an error id to find in the log.
 */
public class UnexpectedErrorMapper {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class);

    @ServerExceptionMapper
    public Response map(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = status == 404 ? "ENDPOINT_NOT_FOUND" : status < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR";
        return error(status, code, Text.quote(e.getMessage()));
    }

    @ServerExceptionMapper
    public Response map(Throwable e) {
        return error(500, "INTERNAL_ERROR", internalError(e));
    }

    /** Logs {@code e} with a new error id and answers the message a client gets instead of the exception. */
    static String internalError(Throwable e) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "scoring failed unexpectedly (error id %s)", id);
        return "the server failed to answer this request (error id " + id + " in the model-server log)";
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(code, message)).build();
    }
}
