package io.clipstream.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Small helpers for the API's handlers: bounded body reads, JSON and error replies. */
final class Exchanges {

    private Exchanges() {
    }

    /** Thrown by handlers to answer with a status and a message. */
    static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Bodies up to this size are read and thrown away before a 413, so the client sees the answer, not a reset. */
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    static byte[] body(Exchange exchange, long maxBytes) throws IOException {
        long declared = exchange.requestHeader("Content-Length") == null ? -1 : parseLong(exchange.requestHeader("Content-Length"));
        try (InputStream in = exchange.requestBody()) {
            if (declared > maxBytes) {
                drain(in);
                throw new HttpError(413, "request body of " + declared + " bytes is over the limit of " + maxBytes
                        + " (http.max.body.bytes)");
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                drain(in);
                throw new HttpError(413, "request body is over the limit of " + maxBytes + " bytes (http.max.body.bytes)");
            }
            return body;
        }
    }

    /**
     * Reads and discards what the client is still sending, up to {@link #DRAIN_LIMIT}: answering
     * while it writes would make it see a connection reset instead of the 413. Past the limit the
     * connection is simply closed.
     */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = DRAIN_LIMIT;
        int read;
        while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
            left -= read;
        }
    }

    static JsonNode jsonBody(Exchange exchange, long maxBytes) throws IOException {
        byte[] body = body(exchange, maxBytes);
        if (body.length == 0) {
            throw new HttpError(400, "the request body is empty; send a JSON object");
        }
        try {
            JsonNode node = JsonCodec.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new HttpError(400, "the request body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpError(400, "malformed JSON body: " + e.getOriginalMessage());
        }
    }

    static void json(Exchange exchange, int status, JsonNode body) throws IOException {
        exchange.respond(status, "application/json", JsonCodec.MAPPER.writeValueAsBytes(body));
    }

    static void error(Exchange exchange, int status, String message) throws IOException {
        exchange.respond(status, "application/json", errorBody(status, message));
    }

    /** The JSON every error answer carries: {@code {"status": ..., "error": "..."}}. */
    static byte[] errorBody(int status, String message) {
        try {
            return JsonCodec.MAPPER.writeValueAsBytes(JsonCodec.MAPPER.createObjectNode().put("status", status).put("error", message));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }

    static Map<String, String> queryParameters(Exchange exchange) {
        Map<String, String> parameters = new HashMap<>();
        String query = exchange.rawQuery();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.put(key, value);
        }
        return parameters;
    }

    static void requireMethod(Exchange exchange, String method) {
        if (!exchange.method().equalsIgnoreCase(method)) {
            exchange.setResponseHeader("Allow", method);
            throw new HttpError(405, exchange.path() + " accepts " + method + " only");
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
