package dev.mlops.tracking.rest;

import dev.mlops.common.text.Text;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What every API request must get right before an endpoint sees it, each refused in the API's error shape rather
 * than a 500: no control character (NUL cannot reach PostgreSQL) in the path or a query parameter, no query
 * parameter twice (except in MLflow's API, where that is a repeated field), a Content-Type that parses (415), and only the query parameters the endpoint declares.
 * Runs after {@link ApiTokenFilter}, so a request without the token still answers 401.
 */
public class RequestChecks {

    @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 100)
    public Optional<RestResponse<ApiError>> checkRequestLine(ContainerRequestContext request) {
        String pathProblem = Text.controlCharacterProblem(request.getUriInfo().getPath());
        if (pathProblem != null) {
            return refuse(Response.Status.BAD_REQUEST, ApiError.invalid("path", "the path " + pathProblem));
        }
        for (Map.Entry<String, List<String>> parameter : request.getUriInfo().getQueryParameters().entrySet()) {
            String name = Text.quote(parameter.getKey());
            String problem = Text.controlCharacterProblem(parameter.getKey() + String.join("", parameter.getValue()));
            if (problem != null) {
                return refuse(Response.Status.BAD_REQUEST, ApiError.invalid(name,
                        "query parameter '" + name + "' " + problem));
            }
            // MLflow's GET requests give a repeated field (stages, order_by) as a repeated parameter
            if (parameter.getValue().size() > 1 && !MlflowPaths.covers(request.getUriInfo().getPath())) {
                return refuse(Response.Status.BAD_REQUEST, ApiError.invalid(name,
                        "query parameter '" + name + "' is given " + parameter.getValue().size() + " times: give it once"));
            }
        }
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !parses(contentType)) {
            return refuse(Response.Status.UNSUPPORTED_MEDIA_TYPE, new ApiError(ApiError.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type '" + Text.quote(contentType) + "' is not a media type: send the body as "
                            + MediaType.APPLICATION_JSON, HttpHeaders.CONTENT_TYPE, null));
        }
        return Optional.empty();
    }

    /** After matching: a query parameter the endpoint does not declare is a typo, not something to ignore. */
    @ServerRequestFilter
    public Optional<RestResponse<ApiError>> checkQueryParameters(ContainerRequestContext request, ResourceInfo resource) {
        MultivaluedMap<String, String> given = request.getUriInfo().getQueryParameters();
        if (given.isEmpty() || resource.getResourceMethod() == null
                || resource.getResourceClass().isAnnotationPresent(IgnoresUnknownQueryParameters.class)) {
            return Optional.empty();
        }
        Set<String> declared = Arrays.stream(resource.getResourceMethod().getParameters())
                .map(p -> p.getAnnotation(QueryParam.class))
                .filter(Objects::nonNull)
                .map(QueryParam::value)
                .collect(Collectors.toCollection(TreeSet::new));
        return given.keySet().stream().filter(name -> !declared.contains(name)).findFirst()
                .map(unknown -> ErrorMappers.json(Response.Status.BAD_REQUEST, ApiError.invalid(Text.quote(unknown),
                        "unknown query parameter '" + Text.quote(unknown) + "'; " + (declared.isEmpty()
                                ? "this endpoint takes none" : "this endpoint takes: " + String.join(", ", declared)))));
    }

    private static boolean parses(String contentType) {
        try {
            MediaType.valueOf(contentType);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<RestResponse<ApiError>> refuse(Response.Status status, ApiError error) {
        return Optional.of(ErrorMappers.json(status, error));
    }
}
