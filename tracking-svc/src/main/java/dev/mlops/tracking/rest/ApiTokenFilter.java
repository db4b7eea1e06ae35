package dev.mlops.tracking.rest;

import dev.mlops.tracking.config.ApiToken;
import dev.mlops.tracking.ui.UiSessions;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;
import java.util.Set;

/**
 * Every API request must carry {@code Authorization: Bearer <token>}, or come from a browser signed in to the web UI
 * (the {@link UiSessions#COOKIE} cookie) that also sends its CSRF token on every request that changes something;
 * before matching, so unknown paths answer 401 too. Open: the web UI's files (they hold no data), its sign-in
 * endpoint, and health, metrics and OpenAPI under /q/*, which the REST layer does not serve.
 */
public class ApiTokenFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final ApiToken token;
    private final UiSessions sessions;

    public ApiTokenFilter(ApiToken token, UiSessions sessions) {
        this.token = token;
        this.sessions = sessions;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<RestResponse<ApiError>> requireToken(ContainerRequestContext request) {
        if (isWebUiFile(request.getUriInfo().getPath())) {
            return Optional.empty();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            Cookie cookie = request.getCookies().get(UiSessions.COOKIE);
            Optional<UiSessions.Session> session = sessions.verify(cookie == null ? null : cookie.getValue());
            if (session.isPresent()) {
                return SAFE_METHODS.contains(request.getMethod())
                        || sessions.csrfMatches(session.get(), request.getHeaderString(UiSessions.CSRF_HEADER))
                        ? Optional.empty() : Optional.of(csrfMissing());
            }
        }
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

    /** The page, its scripts, styles and libraries, and the sign-in endpoint (which checks what it is sent). */
    static boolean isWebUiFile(String path) {
        return path.equals("/") || path.equals("/index.html") || path.equals("/favicon.ico")
                || path.startsWith("/ui/") && !path.startsWith("/ui/events")
                || path.startsWith("/webjars/");
    }

    private static RestResponse<ApiError> csrfMissing() {
        return RestResponse.ResponseBuilder.create(Response.Status.FORBIDDEN, ApiError.of(ApiError.PERMISSION_DENIED,
                        "this request changes something but does not carry the web UI's CSRF token (header "
                                + UiSessions.CSRF_HEADER + "): reload the page, or call the API with its bearer token"))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
