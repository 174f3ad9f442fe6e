package io.cpra.checks;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;

/** Success = a TCP connection is established within the timeout; it is then closed at once. */
final class TcpProbe implements Probe {

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final InetSocketAddress address;
    private final String unknownHost;
    private final long timeoutNanos;
    private final int retries;
    private final String[] timeoutReasons;

    /** @param bootstrap connects on {@code loop} only, so callbacks and timers share one thread */
    TcpProbe(Bootstrap bootstrap, EventLoop loop, String host, int port, long timeoutNanos, int retries) {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("tcp check needs a host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("tcp port out of range: " + port);
        this.bootstrap = bootstrap;
        this.loop = loop;
        this.address = HttpTarget.address(host, port);
        this.unknownHost = "unknown host " + host;
        this.timeoutNanos = timeoutNanos;
        this.retries = retries;
        this.timeoutReasons = CheckRun.Phase.timeoutReasons(timeoutNanos);
    }

    @Override
    public void start(CheckJob job, CheckSink sink) {
        new Run(job, sink).launch();
    }

    @Override
    public long budgetNanos() {
        return timeoutNanos * (retries + 1L);
    }

    private final class Run extends CheckRun {
        private Channel channel;

        Run(CheckJob job, CheckSink sink) {
            super(job, sink, TcpProbe.this.loop, timeoutNanos, retries, timeoutReasons);
        }

        @Override
        protected void beginAttempt() {
            ChannelFuture connect = bootstrap.connect(address);
            channel = connect.channel();
            int a = attempt;
            connect.addListener((ChannelFuture f) -> onConnect(f, a));
        }

        private void onConnect(ChannelFuture f, int a) {
            if (!loop.inEventLoop()) { // a channel that never registered reports on Netty's global executor
                loop.execute(() -> onConnect(f, a));
            } else if (!isCurrent(a)) {
                f.channel().close();
            } else if (f.isSuccess()) {
                channel = null;
                f.channel().close();
                attemptSucceeded(a, 0);
            } else {
                attemptFailed(a, 0, Failures.describe(f.cause(), unknownHost));
            }
        }

        @Override
        protected void abortAttempt() {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }
}
