package dev.mlops.tracking.service;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.RegisteredModel;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** MLflow's rules for what the registry API stores (mlflow/utils/validation.py, model_version_stages.py). */
final class RegistryRules {

    static final String ARCHIVED = "Archived";
    static final List<String> STAGES = List.of("None", "Staging", "Production", ARCHIVED);
    static final List<String> ACTIVE_STAGES = List.of("Staging", "Production");
    private static final int MAX_ALIAS_LENGTH = 255;
    private static final Pattern ALIAS = Pattern.compile("[\\w\\-]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern VERSION_ALIAS = Pattern.compile("[vV]\\d+");

    private RegistryRules() {
    }

    static void requireName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidInput(field, "Missing value for required parameter '" + field + "'.");
        }
        if (name.length() > RegisteredModel.MAX_NAME_LENGTH) {
            throw new InvalidInput(field, field + " is longer than " + RegisteredModel.MAX_NAME_LENGTH + " characters");
        }
        String problem = Text.controlCharacterProblem(name);
        if (problem != null) {
            throw new InvalidInput(field, field + " " + problem);
        }
    }

    static void requireDescription(String description) {
        if (description != null && description.length() > ModelRegistry.MAX_DESCRIPTION_LENGTH) {
            throw new InvalidInput("description", "description is longer than " + ModelRegistry.MAX_DESCRIPTION_LENGTH
                    + " characters");
        }
    }

    static void requireTag(String key, String value) {
        requireTagKey(key);
        RunService.requireValue("tag", value, MlflowRegistry.MAX_TAG_VALUE_LENGTH);
    }

    static void requireTagKey(String key) {
        RunService.requireKey("tag", key);
    }

    static void requireAlias(String alias) {
        if (alias == null || alias.isEmpty()) {
            throw new InvalidInput("alias", "Registered model alias name cannot be empty.");
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw new InvalidInput("alias", "Invalid alias name: '" + Text.quote(alias) + "'. Names may only contain"
                    + " alphanumerics, underscores (_), and dashes (-).");
        }
        if (alias.length() > MAX_ALIAS_LENGTH) {
            throw new InvalidInput("alias", "alias is longer than " + MAX_ALIAS_LENGTH + " characters");
        }
        if (alias.equalsIgnoreCase("latest")) {
            throw new InvalidInput("alias", "'latest' alias name (case insensitive) is reserved.");
        }
        if (VERSION_ALIAS.matcher(alias).matches()) {
            throw new InvalidInput("alias", "Version alias name '" + alias + "' is reserved.");
        }
    }

    /** MLflow's stage names are case-insensitive: "production" is Production. */
    static String canonicalStage(String stage) {
        return STAGES.stream().filter(s -> s.equalsIgnoreCase(stage == null ? "" : stage.trim())).findFirst()
                .orElseThrow(() -> new InvalidInput("stage", "Invalid Model Version stage: '"
                        + Text.quote(String.valueOf(stage)) + "'. Value must be one of " + String.join(", ", STAGES) + "."));
    }

    /**
     * A source with a scheme other than file (s3:, runs:, mlflow-artifacts:, http: ...) and no relative part
     * ('..' or '.', also percent-encoded), as MLflow's server takes it: local paths and file URIs are refused.
     */
    static void requireSource(String source) {
        if (source == null || source.isEmpty()) {
            throw new InvalidInput("source", "Missing value for required parameter 'source'.");
        }
        String scheme = null;
        try {
            scheme = new URI(source).getScheme();
        } catch (URISyntaxException e) {
            // refused below
        }
        if (scheme == null || scheme.length() < 2 || scheme.toLowerCase(Locale.ROOT).equals("file")) {
            throw new InvalidInput("source", "Invalid model version source: '" + Text.quote(source) + "'. A local path"
                    + " or file URI is not a model version source on this server: give the URI the model is stored at"
                    + " (runs:/<run_id>/<path>, mlflow-artifacts:/..., s3://...)");
        }
        String decoded = source;
        try {
            for (int i = 0; i < 5 && decoded.contains("%"); i++) {
                decoded = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("source", "Invalid model version source: '" + Text.quote(source) + "': "
                    + e.getMessage());
        }
        String afterScheme = decoded.substring(decoded.indexOf(':') + 1).replaceAll("[?#].*", "");
        if (Arrays.stream(afterScheme.split("/")).anyMatch(part -> part.equals("..") || part.equals("."))) {
            throw new InvalidInput("source", "Invalid model version source: '" + Text.quote(source) + "'. If supplying"
                    + " a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an"
                    + " absolute path must be provided without relative path references present.");
        }
    }
}
