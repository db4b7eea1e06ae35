package dev.mlops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.deploy.service.ServingFront;
import dev.mlops.stack.launch.Ports;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serving front before a real model-server (model A from a folder), with the default limit of 10 MiB: bodies over
 * it are refused with a 413 while the client is still sending, and normal requests go on being answered.
 */
class ServingFrontTest {

    static final long LIMIT = 10L * 1024 * 1024;
    static final String RECORD = """
            {"dataframe_records": [{"Pclass": 3, "Sex": "male", "Age": 22, "Fare": 7.25,
              "Siblings/Spouses Aboard": 1, "Parents/Children Aboard": 0}]}""";

    static ServedModelResource modelServer;
    static Vertx vertx;
    static ServingFront front;
    static int frontPort;
    static int backendPort;

    @BeforeAll
    static void startTheFrontBeforeAModelServer() {
        modelServer = new ServedModelResource();
        backendPort = URI.create(modelServer.start().get("mlops.deploy.kubernetes.serving-url")).getPort();
        vertx = Vertx.vertx();
        frontPort = Ports.free();
        front = new ServingFront(vertx, "127.0.0.1", frontPort, LIMIT);
        front.start();
        front.switchTo(backendPort);
    }

    @AfterAll
    static void stop() {
        front.close();
        vertx.close();
        modelServer.stop();
    }

    @Test
    void a30MegabyteBodyWithItsContentLengthIs413BeforeItIsSent() throws Exception {
        // hostile input: POST /invocations declaring and sending 30 MB
        long total = 30L * 1024 * 1024;

        Exchange exchange = send("Content-Length: " + total, total, false);

        assertRefused(exchange);
        assertThat(exchange.sentWhenAnswered).as("bytes sent when the 413 came, of %d", total).isLessThan(total);
        assertNormalRequestAnswered();
    }

    @Test
    void anEndlessChunkedBodyIs413AtTheLimitWhileTheClientStillSends() throws Exception {
        // hostile input: a chunked body with no end in sight (the client would send up to 200 MB)
        long total = 200L * 1024 * 1024;

        Exchange exchange = send("Transfer-Encoding: chunked", total, true);

        assertRefused(exchange);
        assertThat(exchange.sentWhenAnswered).as("bytes sent when the 413 came")
                .isGreaterThan(LIMIT).isLessThan(LIMIT + 32L * 1024 * 1024);
        assertThat(exchange.message).contains("more than the limit of " + LIMIT + " bytes");
        assertNormalRequestAnswered();
    }

    @Test
    void aChunkedBodyUnderTheLimitIsScored() throws Exception {
        Exchange exchange = send("Transfer-Encoding: chunked", -1, true);

        assertThat(exchange.status).isEqualTo(200);
        assertThat(exchange.body).contains("predictions");
    }

    @Test
    void aClientThatKeepsItsConnectionReusesTheFrontsConnectionsToTheModelServer() throws Exception {
        // a user scoring record after record: without pooling each request would leave a socket in TIME_WAIT, and a
        // busy endpoint would run out of local ports (connections refused)
        int before = TcpSockets.toPort(backendPort);
        for (int i = 0; i < 300; i++) {
            assertThat(TestRuns.post("http://127.0.0.1:" + frontPort + "/invocations", RECORD).statusCode())
                    .isEqualTo(200);
        }
        assertThat(TcpSockets.toPort(backendPort) - before)
                .as("new sockets to the model-server (any state, TIME_WAIT included) after 300 requests")
                .isLessThan(10);
    }

    private static void assertRefused(Exchange exchange) {
        assertThat(exchange.status).isEqualTo(413);
        assertThat(exchange.errorCode).isEqualTo("BAD_REQUEST");
        assertThat(exchange.message).contains("mlops.serving.max-request-size");
    }

    private static void assertNormalRequestAnswered() throws Exception {
        HttpResponse<String> answer = TestRuns.post("http://127.0.0.1:" + frontPort + "/invocations", RECORD);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.tree(answer.body()).path("predictions")).hasSize(1);
    }

    /** What the client saw: the answer, and how many body bytes it had sent when the status line arrived. */
    record Exchange(int status, String body, String errorCode, String message, long sentWhenAnswered) {
    }

    /**
     * Sends a POST /invocations whose body is {@code total} bytes of JSON-ish filler (or {@link #RECORD} when total is
     * -1) from one thread while this one reads the answer; the sender stops once the answer's status line is in.
     */
    private static Exchange send(String framing, long total, boolean chunked) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", frontPort)) {
            socket.setSoTimeout(60_000);
            AtomicLong sent = new AtomicLong();
            AtomicBoolean answered = new AtomicBoolean();
            Thread sender = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    if (total < 0) {
                        writeChunk(out, RECORD.getBytes(StandardCharsets.UTF_8), true);
                        sent.addAndGet(RECORD.length());
                    } else {
                        byte[] filler = new byte[64 * 1024];
                        Arrays.fill(filler, (byte) ' ');
                        while (sent.get() < total && !answered.get()) {
                            int n = (int) Math.min(filler.length, total - sent.get());
                            writeChunk(out, Arrays.copyOf(filler, n), chunked);
                            sent.addAndGet(n);
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException closedByTheFront) {
                    // the front closes the connection some time after its 413
                }
            }, "hostile-client");
            sender.start();
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in);
            long sentWhenAnswered = sent.get();
            answered.set(true);
            int contentLength = 0;
            for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
                if (header.toLowerCase().startsWith("content-length:")) {
                    contentLength = Integer.parseInt(header.substring("content-length:".length()).trim());
                }
            }
            String body = new String(in.readNBytes(contentLength), StandardCharsets.UTF_8);
            sender.join(60_000);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            JsonNode json = body.startsWith("{") ? Json.tree(body) : Json.tree("{}");
            return new Exchange(status, body, json.path("error_code").asText(), json.path("message").asText(), sentWhenAnswered);
        }
    }

    private static void writeChunk(OutputStream out, byte[] data, boolean chunked) throws IOException {
        if (chunked) {
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(data);
        if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed before the answer was complete: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
