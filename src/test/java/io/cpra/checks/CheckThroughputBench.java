package io.cpra.checks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import static io.cpra.checks.Checks.http;

/**
 * Keep-alive HTTP checks per second against an in-process Netty server, and bytes allocated per check on the
 * engine's thread (what {@code start} costs it) and on the check threads. Reference: the JDK's asynchronous
 * HttpClient doing the same requests with the same concurrency against the same server. Runs about 12 s.
 */
@Tag("bench")
class CheckThroughputBench {

    private static final int IN_FLIGHT = 64;

    @Test
    void keepAliveChecks() throws Exception {
        EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ByteBuf ok = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
        Channel server = new ServerBootstrap().group(serverGroup).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new SimpleChannelInboundHandler<HttpObject>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                                if (!(msg instanceof LastHttpContent)) return;
                                DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                        HttpResponseStatus.OK, ok.duplicate());
                                r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
                                ctx.writeAndFlush(r);
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try (NettyProbeFactory factory = new NettyProbeFactory(
                ProbeSettings.defaults().withIoThreads(1).withMaxConnectionsPerHost(IN_FLIGHT))) {
            Probe probe = factory.prepare(http("http://127.0.0.1:" + port + "/health").timeout(2000).spec());
            run(probe, 3_000);
            double jdkRate = runJdk(URI.create("http://127.0.0.1:" + port + "/health"), 1_000, 3_000);
            long[] loopBefore = loopThreadBytes();
            Result r = run(probe, 5_000);
            long[] loopAfter = loopThreadBytes();
            double loopBytes = (double) (loopAfter[0] - loopBefore[0]) / r.checks;
            System.out.printf("HTTP keep-alive checks: %.0f/s (%d in flight, %d failed); JDK HttpClient: %.0f/s; ratio %.2f%n",
                    r.rate, IN_FLIGHT, r.failed, jdkRate, r.rate / jdkRate);
            System.out.printf("allocated per check: engine thread %.0f B, check thread %.0f B%n", r.engineBytes, loopBytes);
        } finally {
            server.close().sync();
            serverGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    record Result(double rate, long checks, long failed, double engineBytes) {}

    private static Result run(Probe probe, long millis) throws InterruptedException {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        AtomicLong failed = new AtomicLong();
        CheckJob[] jobs = new CheckJob[IN_FLIGHT * 2];
        java.util.concurrent.ConcurrentLinkedQueue<CheckJob> free = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < jobs.length; i++) free.add(jobs[i] = new CheckJob());
        CheckSink sink = job -> {
            if (!job.success) failed.incrementAndGet();
            free.add(job);
            slots.release();
        };
        long bytesBefore = threadBytes();
        long start = System.nanoTime();
        long end = start + millis * 1_000_000L;
        long checks = 0;
        while (System.nanoTime() < end) {
            slots.acquire();
            CheckJob job = free.poll();
            job.resetOutcome();
            probe.start(job, sink);
            checks++;
        }
        slots.acquire(IN_FLIGHT);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(checks / seconds, checks, failed.get(), (double) (threadBytes() - bytesBefore) / checks);
    }

    /** Requests per second through java.net.http.HttpClient, after a warm-up. */
    private static double runJdk(URI uri, long warmupMillis, long millis) throws InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest request = HttpRequest.newBuilder(uri).build();
            Semaphore slots = new Semaphore(IN_FLIGHT);
            long start = 0;
            long n = 0;
            long warmEnd = System.nanoTime() + warmupMillis * 1_000_000L;
            long end = warmEnd + millis * 1_000_000L;
            for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                if (start == 0 && now >= warmEnd) {
                    start = now;
                    n = 0;
                }
                slots.acquire();
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> slots.release());
                n++;
            }
            slots.acquire(IN_FLIGHT);
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long threadBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long[] loopThreadBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("cpra-check-")) sum += mx.getThreadAllocatedBytes(t.threadId());
        }
        return new long[] {sum};
    }
}
