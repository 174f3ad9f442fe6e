package io.cpra.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 for tests: records every request, answers {@link #status} with
 * {@link #answer} (the first {@link #failFirst} requests get 503), or never answers while {@link #hang} is set.
 */
public final class HttpReceiver implements AutoCloseable {

    /** @param arrivedNanos System.nanoTime() when the request arrived, to order requests across receivers */
    public record Request(String method, String target, Map<String, List<String>> headers, String body,
                          long arrivedNanos) {
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : String.join(",", values);
        }
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public final AtomicInteger failFirst = new AtomicInteger();
    public volatile int status = 200;
    public volatile String answer = "ok";
    public volatile boolean hang;
    /** Answers with what it got (target, headers, body), as a careless server might in an error page. */
    public volatile boolean echo;
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpServer server;

    public HttpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test receiver", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url(String path) { return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path); }

    public List<String> bodies() { return requests.stream().map(Request::body).toList(); }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long arrived = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), body, arrived));
            if (hang) release.await();
            int code = failFirst.getAndDecrement() > 0 ? 503 : status;
            String text = code == 503 ? "unavailable"
                    : echo ? "got " + exchange.getRequestURI() + " " + exchange.getRequestHeaders() + " " + body : answer;
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
