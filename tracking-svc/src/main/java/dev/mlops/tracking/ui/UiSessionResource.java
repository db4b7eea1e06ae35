package dev.mlops.tracking.ui;

import dev.mlops.tracking.config.ApiToken;
import dev.mlops.tracking.rest.ApiError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.Optional;

/**
 * Signing in to the web UI: the platform's token is posted once (a form body, never a URL) and exchanged for an
 * HttpOnly, SameSite=Strict session cookie; the page gets the session's CSRF token, which it keeps in memory and
 * sends as {@code X-CSRF-Token} with every request that changes something. Open to everyone (the API filter lets it
 * through): each method checks what it is sent.
 */
@Path("/ui/session")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Web UI", description = "The web UI's session")
public class UiSessionResource {

    /** What the page needs: the CSRF token to send, and when the session ends. */
    public record SessionView(String csrfToken, Instant expiresAt) {
    }

    private final ApiToken token;
    private final UiSessions sessions;

    public UiSessionResource(ApiToken token, UiSessions sessions) {
        this.token = token;
        this.sessions = sessions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Sign in with the platform's token (form field 'token'); sets the session cookie")
    @APIResponse(responseCode = "200", description = "{\"csrfToken\", \"expiresAt\"} and the cookie")
    @APIResponse(responseCode = "401", description = "Not the platform's token")
    public Response signIn(@FormParam("token") String presented, @Context UriInfo uri) {
        if (!token.acceptsToken(presented)) {
            return unauthenticated(presented == null || presented.isBlank()
                    ? "enter the platform's token (./mlops token prints it)"
                    : "this is not the platform's token (./mlops token prints it)");
        }
        return started(sessions.open(), uri);
    }

    @GET
    @Operation(summary = "The current session's CSRF token; 401 when the browser is not signed in")
    public Response current(@CookieParam(UiSessions.COOKIE) String cookie, @Context UriInfo uri) {
        Optional<UiSessions.Session> session = sessions.verify(cookie);
        if (session.isPresent()) {
            return Response.ok(view(session.get())).build();
        }
        return token.open() ? started(sessions.open(), uri) : unauthenticated("sign in with the platform's token");
    }

    @DELETE
    @Operation(summary = "Sign out: the session cookie is cleared")
    @APIResponse(responseCode = "204", description = "Signed out")
    @APIResponse(responseCode = "403", description = "A signed-in browser without the CSRF token")
    public Response signOut(@CookieParam(UiSessions.COOKIE) String cookie,
                            @HeaderParam(UiSessions.CSRF_HEADER) String csrf, @Context UriInfo uri) {
        Optional<UiSessions.Session> session = sessions.verify(cookie);
        if (session.isPresent() && !sessions.csrfMatches(session.get(), csrf)) {
            return Response.status(Response.Status.FORBIDDEN).entity(ApiError.of(ApiError.PERMISSION_DENIED,
                    "signing out needs the page's CSRF token (header " + UiSessions.CSRF_HEADER + ")")).build();
        }
        return Response.noContent().cookie(cookie(uri, "", 0)).build();
    }

    private Response started(UiSessions.Session session, UriInfo uri) {
        return Response.ok(view(session))
                .cookie(cookie(uri, session.value(), (int) UiSessions.LIFETIME.toSeconds()))
                .header("Cache-Control", "no-store")
                .build();
    }

    private static SessionView view(UiSessions.Session session) {
        return new SessionView(session.csrfToken(), session.expiresAt());
    }

    private static NewCookie cookie(UriInfo uri, String value, int maxAgeSeconds) {
        return new NewCookie.Builder(UiSessions.COOKIE).value(value).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAgeSeconds)
                .secure("https".equalsIgnoreCase(uri.getRequestUri().getScheme()))
                .build();
    }

    private static Response unauthenticated(String message) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .entity(ApiError.of(ApiError.UNAUTHENTICATED, message)).build();
    }
}
