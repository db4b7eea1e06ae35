package dev.mlops.tracking;

import dev.mlops.tracking.config.ApiAuthConfig;
import dev.mlops.tracking.config.ApiToken;
import dev.mlops.tracking.ui.UiSessions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up rule (no token, no API unless auth=none) and the header check, without Quarkus. */
class ApiTokenTest {

    @Test
    void withoutATokenTrackingRefusesToStartNamingTheVariable() {
        for (Optional<String> missing : List.of(Optional.<String>empty(), Optional.of("  "))) {
            assertThatThrownBy(() -> new ApiToken(config(missing, ApiAuthConfig.Mode.TOKEN)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("MLOPS_API_TOKEN")
                    .hasMessageContaining("mlops.api.auth=none");
        }
    }

    @Test
    void authNoneAcceptsEveryRequest() {
        ApiToken open = new ApiToken(config(Optional.empty(), ApiAuthConfig.Mode.NONE));
        assertThat(open.accepts(null)).isTrue();
        assertThat(open.accepts("Bearer anything")).isTrue();
    }

    @Test
    void onlyTheBearerTokenItselfIsAccepted() {
        ApiToken token = new ApiToken(config(Optional.of("s3cret"), ApiAuthConfig.Mode.TOKEN));
        assertThat(token.accepts("Bearer s3cret")).isTrue();
        assertThat(token.accepts("bearer s3cret")).isTrue();
        assertThat(token.accepts(null)).isFalse();
        assertThat(token.accepts("")).isFalse();
        assertThat(token.accepts("s3cret")).isFalse();
        assertThat(token.accepts("Basic s3cret")).isFalse();
        assertThat(token.accepts("Bearer s3cre")).isFalse();
        assertThat(token.accepts("Bearer s3cret2")).isFalse();
        assertThat(token.accepts("Bearer S3CRET")).isFalse();
    }

    @Test
    void aWebUiSessionEndsWhenTheTokenChanges() {
        UiSessions.Session session = new UiSessions(new ApiToken(config(Optional.of("s3cret"),
                ApiAuthConfig.Mode.TOKEN))).open();
        UiSessions sameToken = new UiSessions(new ApiToken(config(Optional.of("s3cret"), ApiAuthConfig.Mode.TOKEN)));
        UiSessions newToken = new UiSessions(new ApiToken(config(Optional.of("s3cret2"), ApiAuthConfig.Mode.TOKEN)));

        assertThat(sameToken.verify(session.value())).as("another replica with the same token").isPresent();
        assertThat(sameToken.csrfMatches(sameToken.verify(session.value()).orElseThrow(), session.csrfToken())).isTrue();
        assertThat(newToken.verify(session.value())).as("after the token changed").isEmpty();
    }

    private static ApiAuthConfig config(Optional<String> token, ApiAuthConfig.Mode mode) {
        return new ApiAuthConfig() {
            @Override
            public Optional<String> token() {
                return token;
            }

            @Override
            public ApiAuthConfig.Mode auth() {
                return mode;
            }
        };
    }
}
