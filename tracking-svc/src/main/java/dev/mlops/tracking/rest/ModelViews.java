package dev.mlops.tracking.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.service.ModelRegistry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The JSON requests and answers of {@code /models}. */
public final class ModelViews {

    private static final int MAX_TOKEN_NAME = 64;

    private ModelViews() {
    }

    public record CreateModelRequest(String name, String description) {
    }

    public record CreateVersionRequest(String runId, String artifactUri, Integer attempt) {
    }

    public record SetAliasRequest(Integer version) {
    }

    /** @param servingVersion the version whose run completed a deploy last (what serves now); null if none did */
    public record ModelView(String name, String description, Instant createdAt, Instant updatedAt,
                            VersionView latestVersion, Map<String, Integer> aliases, Integer servingVersion) {
    }

    /** @param nextPageToken the page_token of the next page; absent on the last page */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelList(List<ModelView> models, @JsonProperty("next_page_token") String nextPageToken) {
    }

    public record VersionView(String name, int version, String runId, Integer attempt, String artifactUri, String status,
                              Instant createdAt, List<String> aliases) {
    }

    public record VersionList(List<VersionView> versions) {
    }

    /** The opaque token of the page after the model named {@code lastName}. */
    public static String pageToken(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    /** The model name a page token continues after; null for no token. */
    public static String pageTokenName(String token) {
        if (token == null) {
            return null;
        }
        try {
            String name = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!name.isEmpty() && name.length() <= MAX_TOKEN_NAME && !Text.hasControlCharacters(name)) {
                return name;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new InvalidInput("page_token", "page_token '" + Text.quote(token) + "' is not a token this API gave:"
                + " use the next_page_token of the previous page");
    }

    public static ModelView of(ModelRegistry.ModelDetails details) {
        RegisteredModel model = details.model();
        return new ModelView(model.name, model.description, model.createdAt, model.updatedAt,
                details.latestVersion().map(ModelViews::of).orElse(null), details.aliases(),
                details.servingVersion().orElse(null));
    }

    public static VersionView of(ModelRegistry.VersionDetails details) {
        ModelVersion v = details.version();
        return new VersionView(details.modelName(), v.version, v.runId, v.attempt, v.artifactUri, v.status,
                v.createdAt, details.aliases());
    }
}
