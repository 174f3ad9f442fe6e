package io.cpra.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client for the API under test, over real HTTP. */
final class Http {

    record Answer(int status, byte[] body, HttpResponse<byte[]> response) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final int port;
    private final String token;

    Http(InetSocketAddress address, String token) {
        this.base = "http://127.0.0.1:" + address.getPort();
        this.port = address.getPort();
        this.token = token;
    }

    int port() {
        return port;
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer post(String path, String json) {
        return send(authorized(request(path).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json")));
    }

    Answer delete(String path) {
        return send(authorized(request(path).DELETE()));
    }

    Answer method(String method, String path) {
        return send(authorized(request(path).method(method, HttpRequest.BodyPublishers.noBody())));
    }

    Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder r) {
        return token == null ? r : r.header("Authorization", "Bearer " + token);
    }
}
