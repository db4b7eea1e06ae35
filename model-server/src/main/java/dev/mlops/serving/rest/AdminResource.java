package dev.mlops.serving.rest;

import dev.mlops.serving.config.ModelConfig;
import dev.mlops.serving.config.ModelProducer;
import dev.mlops.serving.config.ServingConfig;
import dev.mlops.serving.service.BundleLoader;
import dev.mlops.serving.service.ModelLoadException;
import dev.mlops.serving.service.ModelSlots;
import dev.mlops.serving.service.ServingModel;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Model swaps in a running server, for deploy-svc's warm local model-server: stage a bundle, score the staged model
 * (the deploy's inference check), promote it (requests in flight finish on the old model) or drop it. Answers only
 * on loopback and only with {@code X-Mlops-Admin-Token} equal to {@code mlops.model.admin-token}; without a configured
 * token it does not exist (404).
 */
@Path("/admin/model")
public class AdminResource {

    public static final String TOKEN_HEADER = "X-Mlops-Admin-Token";
    private static final Logger LOG = Logger.getLogger(AdminResource.class);

    /** What PUT /admin/model/staged takes: the bundle's location ({@code s3://...} or a folder) and its registry name. */
    public record StageRequest(String uri, String name, String version) {
    }

    private final ModelSlots slots;
    private final BundleLoader loader;
    private final Optional<byte[]> token;
    private final long maxRequestBytes;
    private final String server;

    AdminResource(ModelSlots slots, BundleLoader loader, ModelConfig model, ServingConfig serving,
                  @ConfigProperty(name = "quarkus.application.version") String serverVersion) {
        this.slots = slots;
        this.loader = loader;
        this.token = model.adminToken().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.maxRequestBytes = serving.maxRequestSize().asLongValue();
        this.server = "mlops model-server " + serverVersion;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response slots(@Context HttpServerRequest request, @HeaderParam(TOKEN_HEADER) String given) {
        return guarded(request, given, () -> {
            Map<String, Object> answer = new HashMap<>();
            slots.live().ifPresent(m -> answer.put("live", StatusResource.VersionInfo.of(m, server)));
            slots.staged().ifPresent(m -> answer.put("staged", StatusResource.VersionInfo.of(m, server)));
            answer.put("pid", ProcessHandle.current().pid());
            return Response.ok(answer).build();
        });
    }

    @PUT
    @Path("staged")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response stage(@Context HttpServerRequest request, @HeaderParam(TOKEN_HEADER) String given,
                          StageRequest stage) {
        return guarded(request, given, () -> {
            if (stage == null || stage.uri() == null || stage.uri().isBlank()) {
                return error(Response.Status.BAD_REQUEST, "BAD_REQUEST", "the body must name the bundle: {\"uri\": ...}");
            }
            try {
                ServingModel model = ModelProducer.load(loader, stage.uri(), Optional.ofNullable(stage.name()),
                        Optional.ofNullable(stage.version()));
                slots.stage(model);
                return Response.ok(StatusResource.VersionInfo.of(model, server)).build();
            } catch (ModelLoadException e) {
                LOG.warnf("could not stage %s: %s", stage.uri(), e.getMessage());
                return error(Response.Status.BAD_REQUEST, "INVALID_PARAMETER_VALUE", e.getMessage());
            }
        });
    }

    @POST
    @Path("staged/invocations")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response scoreStaged(@Context HttpServerRequest request, @HeaderParam(TOKEN_HEADER) String given,
                                @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return guarded(request, given, () -> slots.staged()
                .map(model -> InvocationsResource.score(model, contentType, body, maxRequestBytes, null))
                .orElseGet(AdminResource::nothingStaged));
    }

    @POST
    @Path("promote")
    @Produces(MediaType.APPLICATION_JSON)
    public Response promote(@Context HttpServerRequest request, @HeaderParam(TOKEN_HEADER) String given) {
        return guarded(request, given, () -> slots.promote().map(model -> {
            LOG.infof("serving model %s version %s (run %s) from %s", model.info().name(), model.info().version(),
                    model.info().runId(), model.info().uri());
            return Response.ok(StatusResource.VersionInfo.of(model, server)).build();
        }).orElseGet(AdminResource::nothingStaged));
    }

    @DELETE
    @Path("staged")
    public Response discard(@Context HttpServerRequest request, @HeaderParam(TOKEN_HEADER) String given) {
        return guarded(request, given, () -> {
            slots.discardStaged();
            return Response.noContent().build();
        });
    }

    private Response guarded(HttpServerRequest request, String given, Supplier<Response> action) {
        if (token.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        if (!fromLoopback(request.remoteAddress())) {
            return error(Response.Status.FORBIDDEN, "PERMISSION_DENIED", "the admin API answers on loopback only");
        }
        if (given == null || !MessageDigest.isEqual(token.get(), given.getBytes(StandardCharsets.UTF_8))) {
            return error(Response.Status.UNAUTHORIZED, "UNAUTHENTICATED", "missing or wrong " + TOKEN_HEADER);
        }
        return action.get();
    }

    static boolean fromLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Response nothingStaged() {
        return error(Response.Status.CONFLICT, "RESOURCE_DOES_NOT_EXIST", "no model is staged: PUT /admin/model/staged first");
    }

    private static Response error(Response.Status status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(code, message)).build();
    }
}
