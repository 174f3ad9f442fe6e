package io.cpra.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The management endpoint, on 127.0.0.1 only:
 * {@code POST /ports/{port}/fail|heal|kill|revive}, {@code GET /ports/{port}},
 * {@code POST /flap?fraction=0.05&period=30s}, {@code POST /flap/stop}, {@code GET /stats}.
 * Answers are JSON; errors are 4xx with a one-line text reason.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern PORT_PATH = Pattern.compile("/ports/(\\d{1,5})(?:/(fail|heal|kill|revive))?");
    private static final long DEFAULT_FLAP_MILLIS = 30_000;
    private static final long MAX_FLAP_MILLIS = 86_400_000;

    @FunctionalInterface
    private interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    private final Fleet fleet;

    AdminHandler(Fleet fleet) {
        this.fleet = fleet;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            ctx.writeAndFlush(Replies.text(400, "bad request")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Query query = new Query(request.uri());
        String path = query.path();
        HttpMethod method = request.method();
        try {
            if (path.equals("/stats")) {
                if (allowed(ctx, method, HttpMethod.GET)) json(ctx, 200, fleet.stats()::writeFields);
            } else if (path.equals("/flap")) {
                if (allowed(ctx, method, HttpMethod.POST)) flap(ctx, query);
            } else if (path.equals("/flap/stop")) {
                if (!allowed(ctx, method, HttpMethod.POST)) return;
                fleet.stopFlap();
                json(ctx, 200, g -> g.writeNumberField("flapping", 0));
            } else {
                Matcher m = PORT_PATH.matcher(path);
                if (m.matches()) port(ctx, method, Integer.parseInt(m.group(1)), m.group(2));
                else ctx.writeAndFlush(Replies.text(404, "no such path: " + path));
            }
        } catch (Query.Invalid e) {
            ctx.writeAndFlush(Replies.text(400, e.getMessage()));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void flap(ChannelHandlerContext ctx, Query query) {
        double fraction = query.doubleValue("fraction", 0.05, 0, 1);
        long periodMillis = query.durationMillis("period", DEFAULT_FLAP_MILLIS, 1, MAX_FLAP_MILLIS);
        int flapping = fleet.flap(fraction, Duration.ofMillis(periodMillis));
        json(ctx, 200, g -> {
            g.writeNumberField("flapping", flapping);
            g.writeNumberField("period_ms", periodMillis);
        });
    }

    private void port(ChannelHandlerContext ctx, HttpMethod method, int port, String action) {
        if (!fleet.ports().contains(port)) {
            ctx.writeAndFlush(Replies.text(404, "port " + port + " is not in the fleet's range " + fleet.ports()));
            return;
        }
        if (!allowed(ctx, method, action == null ? HttpMethod.GET : HttpMethod.POST)) return;
        switch (action == null ? "" : action) {
            case "fail" -> fleet.fail(port);
            case "heal" -> fleet.heal(port);
            case "kill" -> {
                whenDone(ctx, port, fleet.killLater(port));
                return;
            }
            case "revive" -> {
                whenDone(ctx, port, fleet.reviveLater(port));
                return;
            }
            default -> { }
        }
        portStatus(ctx, 200, port);
    }

    /** Kill and revive complete on the event loop later; answer then, without blocking this loop. */
    private void whenDone(ChannelHandlerContext ctx, int port, Future<Void> change) {
        change.addListener(done -> {
            if (done.isSuccess()) portStatus(ctx, 200, port);
            else ctx.writeAndFlush(Replies.text(409, done.cause().getMessage()));
        });
    }

    private void portStatus(ChannelHandlerContext ctx, int status, int port) {
        PortStatus s = fleet.status(port);
        json(ctx, status, g -> {
            g.writeNumberField("port", s.port());
            g.writeBooleanField("listening", s.listening());
            g.writeBooleanField("failing", s.failing());
            g.writeBooleanField("flapping", s.flapping());
        });
    }

    private static boolean allowed(ChannelHandlerContext ctx, HttpMethod method, HttpMethod expected) {
        if (method.equals(expected)) return true;
        ctx.writeAndFlush(Replies.text(405, "use " + expected + ", not " + method));
        return false;
    }

    /** One JSON object with the fields the body writes. */
    private static void json(ChannelHandlerContext ctx, int status, JsonBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.writeAndFlush(Replies.json(status, out.toByteArray()));
    }
}
