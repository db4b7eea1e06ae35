package dev.mlops.tracking.mlflow;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Content-Type an artifact is served with, by its name, as MLflow's {@code _guess_mime_type}: text/plain for
 * MLflow's text extensions (and MLmodel, MLproject), else the usual type of the extension, else
 * application/octet-stream.
 */
final class ArtifactContentTypes {

    private static final Set<String> TEXT = Set.of("txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini",
            "properties", "prop", "hocon", "toml", "yaml", "yml", "xml", "json", "js", "py", "py3", "csv", "tsv", "md",
            "rst", "MLmodel", "MLproject");
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"), Map.entry("bmp", "image/bmp"),
            Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("tar", "application/x-tar"),
            Map.entry("wav", "audio/x-wav"), Map.entry("mp3", "audio/mpeg"), Map.entry("mp4", "video/mp4"));

    private ArtifactContentTypes() {
    }

    static String of(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? name : name.substring(dot + 1);
        if (TEXT.contains(extension)) {
            return "text/plain";
        }
        return BY_EXTENSION.getOrDefault(extension.toLowerCase(Locale.ROOT), "application/octet-stream");
    }
}
