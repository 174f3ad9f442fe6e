package io.cpra.bench;

import io.cpra.fleet.PortRange;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The plain-load reference of the bench, standing in for wrk: a closed loop of keep-alive HTTP/1.1
 * connections spread over the fleet's ports, each sending the next GET as soon as the previous answer is
 * in, on as many event loop threads as the checks use. What the machine serves with no engine, no
 * schedule and no state: the ceiling the engine's checks per second are a ratio of.
 */
final class ClosedLoopLoad {

    /**
     * Requests per second over the measured period, the answers that were not 200, and the CPU seconds
     * (of whatever the meter counts: this process and the fleet's) spent per request meanwhile.
     */
    record Result(double requestsPerSecond, long requests, long notOk, int connections, double cpuSecondsPerRequest) {}

    private final InetAddress host;
    private final PortRange ports;
    private final String path;
    private final int connections;
    private final int threads;

    ClosedLoopLoad(InetAddress host, PortRange ports, String path, int connections, int threads) {
        this.host = host;
        this.ports = ports;
        this.path = path;
        this.connections = connections;
        this.threads = threads;
    }

    Result run(Duration warmUp, Duration measured, DoubleSupplier cpuSeconds) throws InterruptedException {
        LongAdder done = new LongAdder();
        LongAdder notOk = new LongAdder();
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
        request.headers().set(HttpHeaderNames.HOST, host.getHostAddress());
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("cpra-baseline", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            Bootstrap bootstrap = new Bootstrap().group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                    new SimpleChannelInboundHandler<FullHttpResponse>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                            done.increment();
                                            if (response.status().code() != 200) notOk.increment();
                                            ctx.writeAndFlush(request.retainedDuplicate());
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            ctx.close();
                                        }
                                    });
                        }
                    });
            List<ChannelFuture> opened = new ArrayList<>(connections);
            for (int i = 0; i < connections; i++) {
                opened.add(bootstrap.connect(host, ports.first() + i % ports.size()));
            }
            int open = 0;
            for (ChannelFuture f : opened) {
                if (f.awaitUninterruptibly().isSuccess()) {
                    open++;
                    f.channel().writeAndFlush(request.retainedDuplicate());
                }
            }
            Thread.sleep(warmUp.toMillis());
            long before = done.sum();
            long notOkBefore = notOk.sum();
            double cpu0 = cpuSeconds.getAsDouble();
            long start = System.nanoTime();
            Thread.sleep(measured.toMillis());
            long requests = done.sum() - before;
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = cpuSeconds.getAsDouble() - cpu0;
            for (ChannelFuture f : opened) f.channel().close();
            return new Result(requests / seconds, requests, notOk.sum() - notOkBefore, open, cpu / Math.max(1, requests));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
