package dev.mlops.tracking.rest;

import dev.mlops.tracking.config.ApiToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Every API request must carry {@code Authorization: Bearer <token>}; before matching, so unknown paths answer 401
 * too. Health, metrics and OpenAPI under /q/* are not served by the REST layer and stay open.
 */
public class ApiTokenFilter {

    private final ApiToken token;

    public ApiTokenFilter(ApiToken token) {
        this.token = token;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<RestResponse<ApiError>> requireToken(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (token.accepts(authorization)) {
            return Optional.empty();
        }
        String message = authorization == null
                ? "this API needs a token: send the header 'Authorization: Bearer <token>' (MLOPS_API_TOKEN)"
                : "the Authorization header does not carry this API's bearer token";
        return Optional.of(RestResponse.ResponseBuilder
                .create(Response.Status.UNAUTHORIZED, ApiError.of(ApiError.UNAUTHENTICATED, message))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build());
    }
}
