package dev.mlops.tracking.mlflow;

import org.eclipse.microprofile.config.ConfigProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URL;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * Requests REST Assured cannot make for the artifact tests: paths sent exactly as written (its HTTP client
 * normalizes '..' away), and bodies written by hand on a socket (a Content-Length without its body, a chunked body
 * of a chosen size).
 */
final class ArtifactRequests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ArtifactRequests() {
    }

    record Answer(int status, String body) {
    }

    /** A request whose path is sent byte for byte as given (no normalization, no re-encoding). */
    static Answer send(URL root, String method, String rawPath, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + rawPath))
                .header("Authorization", "Bearer " + token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A PUT that announces {@code contentLength} bytes and sends none: the answer must come from the headers. */
    static String putAnnouncing(URL root, String path, long contentLength) {
        return exchange(root, "PUT " + path + " HTTP/1.1\r\nContent-Length: " + contentLength + "\r\n", out -> {
        });
    }

    /** A chunked PUT (no Content-Length) of {@code bytes} pseudo-random bytes from {@code seed}, sent whole. */
    static String putChunked(URL root, String path, long bytes, long seed) {
        return exchange(root, "PUT " + path + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n", out -> {
            try (InputStream content = content(bytes, seed)) {
                byte[] chunk = new byte[1 << 20];
                int n;
                while ((n = content.read(chunk)) > 0) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
    }

    /** {@code bytes} pseudo-random bytes, the same for the same seed. */
    static InputStream content(long bytes, long seed) {
        Random random = new Random(seed);
        return new InputStream() {
            private long left = bytes;

            @Override
            public int read() {
                return left-- > 0 ? random.nextInt(256) : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                byte[] next = new byte[n];
                random.nextBytes(next);
                System.arraycopy(next, 0, buffer, offset, n);
                left -= n;
                return n;
            }
        };
    }

    static String sha256(InputStream in) {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token() {
        return ConfigProvider.getConfig().getValue("mlops.api.token", String.class);
    }

    private interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    /** The whole answer as text (the server closes the connection after a refused upload; so does this request). */
    private static String exchange(URL root, String head, BodyWriter body) {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Host: " + root.getHost() + "\r\nAuthorization: Bearer " + token()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(out);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
