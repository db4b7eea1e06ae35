package dev.mlops.tracking.service;

import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.common.text.Text;
import dev.mlops.runtime.config.S3Config;
import dev.mlops.tracking.repository.ArtifactObjects;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A CSV file from the user's disk, stored in the artifact bucket under {@code datasets/<sha256 prefix>/<name>} so that a
 * run reads it by its {@code s3://} URI (ingest reads the artifact bucket): no {@code file:} root to widen. The body
 * goes to a temporary file (never whole in memory), counted against {@code mlops.datasets.max-upload-bytes}; its head
 * must parse as CSV with a header of at least two columns; only then is it stored. The same content under the same
 * name gets the same URI.
 */
@ApplicationScoped
public class DatasetUploads {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,122}\\.csv");
    /** How much of the file is parsed to tell CSV from anything else; ingest checks all of it. */
    static final int HEAD_BYTES = 64 * 1024;

    /** Where the dataset is, and what it holds at a glance. */
    public record Uploaded(String uri, String sha256, long bytes, List<String> columns) {
    }

    private final ArtifactObjects objects;
    private final String bucket;
    private final long maxBytes;

    public DatasetUploads(ArtifactObjects objects, S3Config s3,
                          @ConfigProperty(name = "mlops.datasets.max-upload-bytes") MemorySize maxBytes) {
        this.objects = objects;
        this.bucket = s3.bucket();
        this.maxBytes = maxBytes.asLongValue();
    }

    /** Stores the CSV {@code body} as {@code name}; InvalidInput (nothing stored) when it is not a CSV dataset. */
    public Uploaded upload(String name, InputStream body) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInput("name", "name the file: letters, digits, '.', '_' or '-', ending in .csv (got '"
                    + Text.quote(String.valueOf(name), 80) + "')");
        }
        Path file = null;
        try {
            file = Files.createTempFile("mlops-dataset-", ".csv");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            BoundedInput bounded = new BoundedInput(body, maxBytes, tooLarge(maxBytes));
            try (InputStream in = new DigestInputStream(bounded, sha256)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                if (bounded.exceeded()) {
                    throw new UploadTooLarge(tooLarge(maxBytes));
                }
                throw new UncheckedIOException(e);
            }
            long size = Files.size(file);
            List<String> columns = header(file, size);
            String digest = HexFormat.of().formatHex(sha256.digest());
            ArtifactUri uri = new ArtifactUri(bucket, "datasets/" + digest.substring(0, 16) + "/" + name);
            try (InputStream in = Files.newInputStream(file)) {
                objects.put(uri, in, size, "text/csv");
            }
            return new Uploaded(uri.toString(), digest, size, columns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    public static String tooLarge(long maxBytes) {
        return "the dataset is larger than this server accepts (" + maxBytes
                + " bytes, mlops.datasets.max-upload-bytes); nothing was stored";
    }

    /** The header of the file's first rows, which must parse as CSV with at least two columns and one data row. */
    private static List<String> header(Path file, long size) throws IOException {
        if (size == 0) {
            throw new InvalidInput("file", "the file is empty: a dataset is CSV with a header row and data rows");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD_BYTES);
        }
        if (size > head.length) {
            int lastNewline = lastIndexOf(head, (byte) '\n');
            head = Arrays.copyOf(head, Math.max(lastNewline, 0));
        }
        try {
            CsvTable table = CsvTable.parse(head);
            if (table.header().size() < 2 || table.rows().isEmpty()) {
                throw new InvalidInput("file", "a dataset is CSV with a header row of at least two columns and data"
                        + " rows; this file has " + table.header().size() + " column(s) and " + table.rows().size()
                        + " data row(s) in its first " + HEAD_BYTES + " bytes");
            }
            return table.header();
        } catch (CsvFormatException e) {
            throw new InvalidInput("file", "the file is not CSV: " + e.getMessage());
        }
    }

    private static int lastIndexOf(byte[] bytes, byte value) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
