package io.cpra.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cpra.config.ConfigError;
import io.cpra.engine.Engine;
import io.cpra.engine.ReloadReport;
import io.cpra.notify.AlertDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The embedded HTTP server: the JDK's {@link HttpServer}, one virtual thread per request.
 *
 * <p>Mutating calls (POST, DELETE) need {@code Authorization: Bearer <CPRA_API_TOKEN>}: without a configured
 * token they are refused with 403, with a wrong or missing one 401. Errors are {@code {"error": "..."}}:
 * 400 bad input, 404 unknown path or monitor, 405 wrong method (with {@code Allow}), 409 a state that
 * forbids the call, 413 a body over 1 MiB.
 *
 * <p>{@code POST /-/reload} calls the reload supplier, one reload at a time: 200 with the report when the
 * new config is in effect, 422 with the config errors when it was refused (the previous config keeps
 * running), 501 when the supplier throws {@link UnsupportedOperationException} (reload not available).
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final Set<String> MUTATING = Set.of("POST", "DELETE", "PUT", "PATCH");
    private static final Map<String, String> DASHBOARD = Map.of(
            "", "text/html; charset=utf-8",
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    /** Paths served without reading the engine, so also while the monitor files load. */
    private static final Set<String> WITHOUT_ENGINE = Set.of("/", "/index.html", "/app.js", "/style.css", "/healthz", "/readyz");

    static {
        // without TCP_NODELAY a response written in two parts waits for the client's delayed ACK (~40 ms);
        // the JDK server reads this once, when its first server is made
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final Router router = new Router();
    private final byte[] token;
    private final Engine engine;
    private final Supplier<ReloadReport> reload;
    private final BooleanSupplier configLoaded;
    private final ReentrantLock reloading = new ReentrantLock();
    private final Metrics metrics;
    private final AlertLog alertLog;

    private ApiServer(ApiSettings settings, Engine engine, Supplier<ReloadReport> reload, BooleanSupplier configLoaded)
            throws IOException {
        this.token = settings.token() == null ? null : settings.token().getBytes(StandardCharsets.UTF_8);
        this.engine = engine;
        this.reload = reload;
        this.configLoaded = configLoaded;
        this.metrics = new Metrics(engine);
        this.alertLog = new AlertLog(metrics.registry());
        new MonitorResource(engine, alertLog).routes(router);
        new GridResource(engine).routes(router);
        new MaintenanceResource(engine).routes(router);
        router.add("GET", "/metrics", c -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8), Map.of()))
                .add("GET", "/healthz", c -> Reply.ok(Map.of("status", "up")))
                .add("GET", "/readyz", c -> ready())
                .add("POST", "/-/reload", c -> reload())
                .add("GET", "/", c -> dashboard(""));
        for (String file : DASHBOARD.keySet()) if (!file.isEmpty()) router.add("GET", "/" + file, c -> dashboard(file));
        try {
            this.server = HttpServer.create(settings.address(), 128);
        } catch (BindException e) {
            metrics.close();
            throw new BindException("cannot serve the API on " + settings.address() + ": " + e.getMessage()
                    + " (choose another with --api HOST:PORT, or --no-api)");
        }
        server.setExecutor(requests);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Binds and starts serving.
     *
     * @param reload       runs one hot reload; throws UnsupportedOperationException when there is none
     * @param configLoaded whether the monitor files are loaded (with the engine running: ready)
     */
    public static ApiServer start(ApiSettings settings, Engine engine, Supplier<ReloadReport> reload,
                                  BooleanSupplier configLoaded) throws IOException {
        return new ApiServer(settings, engine, reload, configLoaded);
    }

    /** Feeds the recent deliveries ({@code GET /api/v1/alerts}) and the alert metrics from this dispatcher. */
    public void watch(AlertDispatcher alerts) {
        alerts.onDelivery(alertLog);
        metrics.watch(alerts);
    }

    /** The bound address (the real port when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        requests.close();
        metrics.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try (exchange) {
            try {
                reply = route(exchange);
            } catch (HttpError e) {
                reply = Reply.error(e.status, e.getMessage());
            } catch (RuntimeException e) {
                log.error("API request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                reply = Reply.error(500, "internal error: " + e.getMessage());
            }
            send(exchange, reply);
        } catch (IOException e) {
            log.debug("API client went away: {}", e.toString());
        }
    }

    private Reply route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        Router.Match match = router.match(method, exchange.getRequestURI().getRawPath());
        if (match == null) throw HttpError.notFound("no such path: " + exchange.getRequestURI().getPath());
        if (match.handler() == null) {
            Reply refused = Reply.error(405, method + " is not allowed here; allowed: " + String.join(", ", match.allowed()));
            return new Reply(405, refused.contentType(), refused.body(), Map.of("Allow", String.join(", ", match.allowed())));
        }
        if (MUTATING.contains(method)) authorize(exchange);
        // before the engine thread runs, the loader owns the engine: nothing else may read it
        if (!WITHOUT_ENGINE.contains(exchange.getRequestURI().getPath()) && !engine.isRunning()) {
            throw new HttpError(503, "not ready: the engine is not running (monitor files still loading, or stopping)");
        }
        return match.handler().handle(new Call(exchange, match.path()));
    }

    private void authorize(HttpExchange exchange) {
        if (token == null) {
            throw new HttpError(403, "changes through the API are disabled: set " + ApiSettings.TOKEN_VARIABLE
                    + " for cpra run and send it as 'Authorization: Bearer <token>'");
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(token, given)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "missing or wrong bearer token (Authorization: Bearer <" + ApiSettings.TOKEN_VARIABLE + ">)");
        }
    }

    private Reply ready() {
        if (!configLoaded.getAsBoolean()) return Reply.error(503, "not ready: monitor files are still loading");
        if (!engine.isRunning()) return Reply.error(503, "not ready: the engine is not running");
        return Reply.ok(Map.of("status", "ready"));
    }

    private Reply reload() {
        reloading.lock();
        try {
            ReloadReport report = reload.get();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", report.ok());
            if (!report.ok()) {
                out.put("error", "reload refused: " + report.errors().size()
                        + " config errors; the previous config keeps running");
                out.put("errors", report.errors().stream().map(ApiServer::error).toList());
                return Reply.json(422, out);
            }
            out.put("added", report.added());
            out.put("changed", report.changed());
            out.put("removed", report.removed());
            out.put("unchanged", report.unchanged());
            out.put("duration_ms", report.durationNanos() / 1_000_000.0);
            return Reply.ok(out);
        } catch (UnsupportedOperationException e) {
            throw new HttpError(501, e.getMessage() == null ? "reload not available" : e.getMessage());
        } finally {
            reloading.unlock();
        }
    }

    private static Map<String, Object> error(ConfigError e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", e.file());
        out.put("line", e.line());
        out.put("column", e.column());
        out.put("monitor", e.monitor());
        out.put("field", e.field());
        out.put("message", e.message());
        return out;
    }

    private static Reply dashboard(String file) throws IOException {
        String contentType = DASHBOARD.get(file);
        if (contentType == null) throw HttpError.notFound("no such path: /" + file);
        String resource = "/dashboard/" + (file.isEmpty() ? "index.html" : file);
        try (InputStream in = ApiServer.class.getResourceAsStream(resource)) {
            if (in == null) throw HttpError.notFound("dashboard file missing from the jar: " + resource);
            return new Reply(200, contentType, in.readAllBytes(), Map.of("Cache-Control", "no-cache"));
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        reply.headers().forEach(exchange.getResponseHeaders()::set);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length == 0 ? -1 : reply.body().length);
        if (head) return;
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

}
