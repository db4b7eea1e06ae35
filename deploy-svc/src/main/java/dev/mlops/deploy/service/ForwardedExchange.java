package dev.mlops.deploy.service;

import dev.mlops.common.http.ContentLength;
import dev.mlops.common.json.Json;
import dev.mlops.deploy.service.ServingFront.Backend;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One request through the serving front. Its body goes to the model-server as it arrives (reading pauses while the
 * model-server cannot take more) and the answer comes back the same way, so the front holds no whole body. A body
 * over the limit (mlops.serving.max-request-size) gets a 413 in MLflow's error shape: at once when its Content-Length
 * says so, else the moment the bytes received pass the limit (the model-server's request is then reset). The rest of
 * a refused body is read and dropped for a short while, so that the client reads the 413 rather than a reset
 * connection, then the connection is closed.
 */
final class ForwardedExchange {

    /** How long the rest of a refused body is read and dropped before the connection is closed. */
    static final long LINGER_MILLIS = 2_000;

    private final Vertx vertx;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final long limit;
    private Backend backend;
    private HttpClientRequest out;
    private long received;
    private boolean refused;
    private boolean released;
    private boolean answeredInFull;

    ForwardedExchange(Vertx vertx, HttpServerRequest request, long limit) {
        this.vertx = vertx;
        this.request = request;
        this.response = request.response();
        this.limit = limit;
    }

    /** Refuses a request whose Content-Length is over the limit, without reading its body; false when it is not. */
    boolean refusedByItsLength() {
        long declared = declaredLength();
        if (declared <= limit) {
            return false;
        }
        refuse("the request body has " + declared + " bytes, more than the limit of " + limit
                + " bytes (mlops.serving.max-request-size): send fewer records per request");
        return true;
    }

    void answer(int status, String json) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
    }

    /** Streams the request to {@code backend} (whose in-flight count the caller raised) and its answer back. */
    void forwardTo(HttpClient client, Backend backend) {
        this.backend = backend;
        request.pause();
        if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
            response.writeContinue();
        }
        // The client went away (its connection, or with HTTP/2 its stream, closed): a model-server request still
        // running is reset. One already answered in full is left alone: resetting it would close a pooled
        // keep-alive connection, and a busy front would leave a socket in TIME_WAIT per request until connects fail.
        response.closeHandler(closed -> {
            if (out != null && !answeredInFull) {
                out.reset();
            }
            release();
        });
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost("127.0.0.1")
                .setPort(backend.port()).setURI(request.uri()).setHeaders(ServingFront.endToEnd(request.headers()));
        client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                badGateway(connected.cause());
                return;
            }
            out = connected.result();
            if (refused || released) {
                out.reset();
                return;
            }
            long declared = declaredLength();
            if (declared >= 0) {
                out.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(declared));
            } else if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true)) {
                out.setChunked(true);
            }
            out.exceptionHandler(answeredThroughResponse -> { }); // failures reach answered(); no log line per reset
            out.response().onComplete(this::answered);
            request.handler(this::received);
            request.endHandler(end -> {
                if (!refused) {
                    out.end();
                }
            });
            request.resume();
        });
    }

    private void received(Buffer chunk) {
        if (refused) {
            return;
        }
        received += chunk.length();
        if (received > limit) {
            refuse("the request body has more than the limit of " + limit
                    + " bytes (mlops.serving.max-request-size): send fewer records per request");
            return;
        }
        out.write(chunk);
        if (out.writeQueueFull()) {
            request.pause();
            out.drainHandler(drained -> request.resume());
        }
    }

    private void answered(AsyncResult<HttpClientResponse> result) {
        if (refused) {
            return;
        }
        if (result.failed()) {
            badGateway(result.cause());
            return;
        }
        HttpClientResponse answer = result.result();
        response.setStatusCode(answer.statusCode()).setStatusMessage(answer.statusMessage());
        response.headers().addAll(ServingFront.endToEnd(answer.headers()));
        String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            response.setChunked(true);
        }
        answer.pipeTo(response).onComplete(done -> {
            answeredInFull = done.succeeded();
            release();
        });
    }

    /**
     * 413 now (the model-server's request, if any, is reset); what the client still sends is dropped, and the
     * connection closed once the body ends or after {@link #LINGER_MILLIS}.
     */
    private void refuse(String message) {
        refused = true;
        if (out != null) {
            out.reset(); // the model-server never gets more than the limit
        }
        release();
        request.handler(dropped -> { });
        request.endHandler(end -> request.connection().close());
        request.resume();
        if (response.headWritten()) {
            request.connection().close();
            return;
        }
        response.setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end("{\"error_code\": \"BAD_REQUEST\", \"message\": " + Json.write(message) + "}");
        vertx.setTimer(LINGER_MILLIS, lingered -> request.connection().close());
    }

    private void badGateway(Throwable cause) {
        release();
        if (!response.headWritten()) {
            response.setStatusCode(502).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"error_code\": \"BAD_GATEWAY\", \"message\": " + Json.write("model-server on port "
                            + backend.port() + " did not answer: " + cause.getMessage()) + "}");
        } else {
            request.connection().close();
        }
    }

    private void release() {
        if (!released && backend != null) {
            released = true;
            backend.release();
        }
    }

    /** The Content-Length the client declared; -1 when none (chunked, or no body) or unreadable. */
    private long declaredLength() {
        return ContentLength.parse(request.getHeader(HttpHeaders.CONTENT_LENGTH));
    }
}
