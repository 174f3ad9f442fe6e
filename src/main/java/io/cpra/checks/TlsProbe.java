package io.cpra.checks;

import io.cpra.checks.conditions.ConditionSet;
import io.cpra.checks.conditions.ResultView;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;

/**
 * Success = a TLS handshake that verifies the chain and the name ({@code server_name}, else the host) and
 * a leaf that has not expired, then every condition ({@code [CERTIFICATE_EXPIRATION] > 720h}). The
 * connection is closed right after the handshake.
 */
final class TlsProbe implements Probe {

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final SslContext tls;
    private final InetSocketAddress address;
    private final String peerName;
    private final int port;
    private final String unknownHost;
    private final long timeoutNanos;
    private final int retries;
    private final String[] timeoutReasons;
    private final ConditionSet conditions;

    /** @param bootstrap connects on {@code loop} only, so callbacks and timers share one thread */
    TlsProbe(Bootstrap bootstrap, EventLoop loop, SslContext tls, String host, int port, String serverName,
             long timeoutNanos, int retries, ConditionSet conditions) {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("tls check needs a host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("tls port out of range: " + port);
        this.bootstrap = bootstrap;
        this.loop = loop;
        this.tls = tls;
        this.address = HttpTarget.address(host, port);
        this.peerName = serverName == null || serverName.isBlank() ? host : serverName;
        this.port = port;
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
            super(job, sink, TlsProbe.this.loop, timeoutNanos, retries, timeoutReasons);
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
            } else if (!f.isSuccess()) {
                attemptFailed(a, 0, Failures.describe(f.cause(), unknownHost));
            } else {
                phase = Phase.TLS;
                Channel ch = f.channel();
                SslHandler ssl = tls.newHandler(ch.alloc(), peerName, port);
                ssl.setHandshakeTimeoutMillis(0); // the check's own deadline covers the handshake
                ch.pipeline().addFirst(ssl); // the channel is active: adding it starts the handshake
                ssl.handshakeFuture().addListener((Future<Channel> h) -> onHandshake(h, ssl, a));
            }
        }

        private void onHandshake(Future<Channel> h, SslHandler ssl, int a) {
            if (!isCurrent(a)) return;
            if (!h.isSuccess()) {
                attemptFailed(a, 0, Failures.describe(h.cause(), unknownHost));
                return;
            }
            String failure = null;
            if (!conditions.isEmpty()) {
                long now = System.currentTimeMillis();
                long expiry = ClientTls.earliestExpiry(ssl.engine().getSession(), now);
                ResultView view = new ResultView();
                view.connected(true);
                view.responseTime(elapsedNanos());
                if (expiry != ClientTls.NO_EXPIRY) view.certificateRemainingMillis(expiry - now);
                failure = conditions.firstFailure(view);
            }
            abortAttempt();
            if (failure == null) attemptSucceeded(a, 0);
            else attemptFailed(a, 0, Failures.clip(failure));
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
