package dev.mlops.tracking.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The API's bearer token. Only its SHA-256 digest is kept, and a presented token is compared digest to digest
 * with {@link MessageDigest#isEqual}, so the comparison takes the same time whatever the input (its length too).
 * Without a token tracking-svc refuses to start, unless {@code mlops.api.auth=none} says so explicitly.
 * Application-scoped: the REST filter that uses it is built before runtime configuration is read.
 */
@ApplicationScoped
public class ApiToken {

    private static final Logger LOG = Logger.getLogger(ApiToken.class);
    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> expected;

    public ApiToken(ApiAuthConfig config) {
        this.expected = expectedDigest(config);
    }

    void checkedAtStartup(@Observes StartupEvent startup) {
        if (expected.isEmpty()) {
            LOG.warn("mlops.api.auth=none: the API answers every request without a token");
        }
    }

    /** Whether an {@code Authorization} header value carries the token. */
    public boolean accepts(String authorization) {
        if (expected.isEmpty()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return acceptsToken(authorization.substring(BEARER.length()));
    }

    /** Whether {@code token} itself (as typed into the web UI's sign-in page) is the API's token. */
    public boolean acceptsToken(String token) {
        return expected.isEmpty() || token != null && MessageDigest.isEqual(expected.get(), sha256(token.trim()));
    }

    /**
     * A secret key for {@code purpose} (signing web UI sessions), derived from the token: changing the token changes
     * it. With {@code mlops.api.auth=none}, a random key at each call (keep it).
     */
    public byte[] derivedKey(String purpose) {
        if (expected.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        }
        return sha256(purpose + "|" + HexFormat.of().formatHex(expected.get()));
    }

    /** True when {@code mlops.api.auth=none}: every request is accepted. */
    public boolean open() {
        return expected.isEmpty();
    }

    static Optional<byte[]> expectedDigest(ApiAuthConfig config) {
        Optional<String> token = config.token().map(String::trim).filter(t -> !t.isEmpty());
        if (config.auth() == ApiAuthConfig.Mode.NONE) {
            return Optional.empty();
        }
        return Optional.of(sha256(token.orElseThrow(() -> new IllegalStateException(
                "tracking-svc needs an API token: set MLOPS_API_TOKEN (property mlops.api.token) to a secret"
                        + " value, or set mlops.api.auth=none (MLOPS_API_AUTH=none) to run the API without one"))));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
