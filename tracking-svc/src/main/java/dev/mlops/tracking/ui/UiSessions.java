package dev.mlops.tracking.ui;

import dev.mlops.tracking.config.ApiToken;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The web UI's sessions, kept by nobody: a session is the cookie value {@code <expiry>.<nonce>.<signature>}, signed
 * with HMAC-SHA256 under a key derived from the API token, and its CSRF token is an HMAC of that value. Any replica
 * checks it without shared state, and changing the token ends every session. A session lasts {@link #LIFETIME};
 * signing out clears the cookie in the browser (a copied cookie stays valid until it expires or the token changes).
 * With {@code mlops.api.auth=none} the key is random per process: the API is open anyway.
 */
@ApplicationScoped
public class UiSessions {

    public static final String COOKIE = "mlops_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    public UiSessions(ApiToken token) {
        this.key = token.derivedKey("mlops web UI sessions");
    }

    /** A new session: the cookie value and its expiry. */
    public Session open() {
        return openAt(Instant.now());
    }

    /** A session opened at {@code now} (the tests open one long ago). */
    Session openAt(Instant now) {
        Instant expiresAt = now.plus(LIFETIME);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String payload = expiresAt.getEpochSecond() + "." + HexFormat.of().formatHex(nonce);
        return new Session(payload + "." + sign("session|" + payload), expiresAt);
    }

    /** The session a cookie value stands for, when its signature holds and it has not expired. */
    public Optional<Session> verify(String cookieValue) {
        if (cookieValue == null) {
            return Optional.empty();
        }
        int lastDot = cookieValue.lastIndexOf('.');
        int firstDot = cookieValue.indexOf('.');
        if (firstDot <= 0 || lastDot == firstDot) {
            return Optional.empty();
        }
        String payload = cookieValue.substring(0, lastDot);
        if (!constantTimeEquals(sign("session|" + payload), cookieValue.substring(lastDot + 1))) {
            return Optional.empty();
        }
        try {
            Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(cookieValue.substring(0, firstDot)));
            return expiresAt.isAfter(Instant.now()) ? Optional.of(new Session(cookieValue, expiresAt))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code presented} is the CSRF token of {@code session}. */
    public boolean csrfMatches(Session session, String presented) {
        return presented != null && constantTimeEquals(session.csrfToken(), presented);
    }

    /** A signed-in browser: {@code value} goes in the cookie, {@link #csrfToken()} to the page (in memory only). */
    public final class Session {
        private final String value;
        private final Instant expiresAt;

        private Session(String value, Instant expiresAt) {
            this.value = value;
            this.expiresAt = expiresAt;
        }

        public String value() {
            return value;
        }

        public Instant expiresAt() {
            return expiresAt;
        }

        public String csrfToken() {
            return sign("csrf|" + value);
        }
    }

    private String sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static boolean constantTimeEquals(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
