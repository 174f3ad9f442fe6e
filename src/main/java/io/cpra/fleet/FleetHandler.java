package io.cpra.fleet;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Answers one connection to one fleet port, by path. Responses go out in request order: while a delayed
 * (or hung) response is pending, pipelined requests wait in a short queue; a longer queue closes the
 * connection. Delays are timers on the event loop, never a sleeping thread.
 */
final class FleetHandler extends ChannelInboundHandlerAdapter {

    static final long MAX_DELAY_MILLIS = 600_000;
    static final long MAX_HUGE_MB = 1024;
    private static final long MIB = 1024 * 1024;
    private static final int MAX_WAITING = 16;
    private static final String STATUS_PREFIX = "/status/";

    private final Fleet fleet;
    private final FleetStats stats;
    private final ArrayDeque<String> waiting = new ArrayDeque<>(4);
    private int portIndex;
    /** A delayed or hung response is pending: later requests wait their turn. */
    private boolean busy;

    FleetHandler(Fleet fleet, FleetStats stats) {
        this.fleet = fleet;
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        portIndex = fleet.ports().indexOf(((InetSocketAddress) ctx.channel().localAddress()).getPort());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        String uri = request.uri();
        boolean decoded = request.decoderResult().isSuccess();
        request.release();
        if (!decoded) {
            stats.countStatus(400);
            ctx.writeAndFlush(Replies.text(400, "bad request")).addListener(ChannelFutureListener.CLOSE);
        } else if (!busy) {
            serve(ctx, uri);
        } else if (waiting.size() < MAX_WAITING) {
            waiting.add(uri);
        } else {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void serve(ChannelHandlerContext ctx, String uri) {
        Query query = new Query(uri);
        String path = query.path();
        try {
            switch (path) {
                case "/health", "/ok" -> {
                    if (fleet.isFailing(portIndex)) reply(ctx, 503, "failing");
                    else reply(ctx, 200, null);
                }
                case "/slow" -> delay(ctx, delayMillis(query));
                case "/flaky" -> {
                    double ratio = query.doubleValue("ratio", 0.5, 0, 1);
                    if (ThreadLocalRandom.current().nextDouble() < ratio) reply(ctx, 503, "flaky");
                    else reply(ctx, 200, null);
                }
                case "/hang" -> {
                    busy = true;
                    stats.count(Outcome.HANG);
                }
                case "/reset" -> {
                    stats.count(Outcome.RESET);
                    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    ctx.close();
                }
                case "/huge" -> huge(ctx, query.longValue("mb", 1, 0, MAX_HUGE_MB));
                default -> {
                    if (path.startsWith(STATUS_PREFIX)) reply(ctx, status(path.substring(STATUS_PREFIX.length())), "status");
                    else reply(ctx, 404, "no such path: " + path);
                }
            }
        } catch (Query.Invalid e) {
            reply(ctx, 400, e.getMessage());
        }
    }

    /** {@code ms=N}, or a uniform pick in {@code min=A&max=B}. */
    private static long delayMillis(Query query) {
        if (query.has("ms")) return query.longValue("ms", 0, 0, MAX_DELAY_MILLIS);
        long min = query.longValue("min", 0, 0, MAX_DELAY_MILLIS);
        long max = query.longValue("max", min, min, MAX_DELAY_MILLIS);
        return ThreadLocalRandom.current().nextLong(min, max + 1);
    }

    private static int status(String code) {
        try {
            int status = Integer.parseInt(code);
            if (status >= 200 && status <= 599) return status;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Query.Invalid("/status/NNN takes a status within 200-599, got '" + code + "'");
    }

    private void delay(ChannelHandlerContext ctx, long millis) {
        busy = true;
        ctx.executor().schedule(() -> {
            busy = false;
            if (!ctx.channel().isActive()) return;
            reply(ctx, 200, null);
            while (!busy && !waiting.isEmpty()) serve(ctx, waiting.poll());
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void huge(ChannelHandlerContext ctx, long megabytes) {
        stats.countStatus(200);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                .set(HttpHeaderNames.CONTENT_LENGTH, megabytes * MIB);
        ctx.write(head);
        ctx.writeAndFlush(new HttpChunkedInput(new RepeatedBytes(megabytes * MIB)));
    }

    /** Answers {@code status}; a null body means the shared "ok". */
    private void reply(ChannelHandlerContext ctx, int status, String body) {
        stats.countStatus(status);
        ctx.writeAndFlush(body == null ? Replies.ok() : Replies.text(status, body));
    }
}
