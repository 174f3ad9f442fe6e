package io.cpra.checks;

import io.cpra.checks.conditions.ConditionSet;
import io.cpra.checks.conditions.ResultView;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;

/**
 * Success = a TCP connection is established within the timeout, then every condition holds
 * ({@code [CONNECTED]}, {@code [RESPONSE_TIME]}); the connection is closed at once.
 */
final class TcpProbe implements Probe {

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final InetSocketAddress address;
    private final String unknownHost;
    private final long timeoutNanos;
    private final int retries;
    private final String[] timeoutReasons;
    private final ConditionSet conditions;

    /** @param bootstrap connects on {@code loop} only, so callbacks and timers share one thread */
    TcpProbe(Bootstrap bootstrap, EventLoop loop, String host, int port, long timeoutNanos, int retries,
             ConditionSet conditions) {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("tcp check needs a host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("tcp port out of range: " + port);
        this.bootstrap = bootstrap;
        this.loop = loop;
        this.address = HttpTarget.address(host, port);
        this.unknownHost = "unknown host " + host;
        this.timeoutNanos = timeoutNanos;
        this.retries = retries;
        this.timeoutReasons = CheckRun.Phase.timeoutReasons(timeoutNanos);
        this.conditions = conditions;
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
                String failure = conditions.isEmpty() ? null : conditions.firstFailure(connectedView());
                if (failure == null) attemptSucceeded(a, 0);
                else attemptFailed(a, 0, Failures.clip(failure));
            } else {
                attemptFailed(a, 0, Failures.describe(f.cause(), unknownHost));
            }
        }

        private ResultView connectedView() {
            ResultView view = new ResultView();
            view.connected(true);
            view.responseTime(elapsedNanos());
            return view;
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
