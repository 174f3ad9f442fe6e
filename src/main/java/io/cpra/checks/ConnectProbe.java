package io.cpra.checks;

import io.cpra.checks.conditions.ConditionSet;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;

/**
 * A check that starts with a TCP connection to one host and port (TCP and TLS checks). Each attempt connects
 * afresh; the subclass takes over once connected, and the connection is closed when the attempt ends.
 */
abstract class ConnectProbe extends AttemptingProbe {

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final InetSocketAddress address;
    /** "unknown host example.invalid": the failure when the host does not resolve. */
    final String unknownHost;

    /**
     * @param kind      "tcp" or "tls": names the check in a configuration error
     * @param bootstrap connects on {@code loop} only, so callbacks and timers share one thread
     */
    ConnectProbe(String kind, Bootstrap bootstrap, EventLoop loop, String host, int port, long timeoutNanos,
                 int retries, ConditionSet conditions) {
        if (host == null || host.isBlank()) throw new IllegalArgumentException(kind + " check needs a host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException(kind + " port out of range: " + port);
        super(timeoutNanos, retries, conditions);
        this.bootstrap = bootstrap;
        this.loop = loop;
        this.address = HttpTarget.address(host, port);
        this.unknownHost = "unknown host " + host;
    }

    /** One check: each attempt connects, then {@link #onConnected} carries it on or ends it. */
    abstract class ConnectRun extends CheckRun {
        private Channel channel;

        ConnectRun(CheckJob job, CheckSink sink) {
            super(job, sink, ConnectProbe.this.loop, ConnectProbe.this);
        }

        /** Attempt {@code a}, still current, is connected on {@code connected}; runs on the run's loop. */
        abstract void onConnected(Channel connected, int a);

        @Override
        protected final void beginAttempt() {
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
            } else if (!f.isSuccess()) {
                attemptFailed(a, 0, Failures.describe(f.cause(), unknownHost));
            } else {
                onConnected(f.channel(), a);
            }
        }

        /** Closes the attempt's connection, if it still has one. */
        @Override
        protected final void abortAttempt() {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }
}
