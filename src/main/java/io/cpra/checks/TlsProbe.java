package io.cpra.checks;

import io.cpra.checks.conditions.ConditionSet;
import io.cpra.checks.conditions.ResultView;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

/**
 * Success = a TLS handshake that verifies the chain and the name ({@code server_name}, else the host) and
 * a leaf that has not expired, then every condition ({@code [CERTIFICATE_EXPIRATION] > 720h}). The
 * connection is closed right after the handshake.
 */
final class TlsProbe extends ConnectProbe {

    private final SslContext tls;
    private final String peerName;
    private final int port;

    /** @param bootstrap connects on {@code loop} only, so callbacks and timers share one thread */
    TlsProbe(Bootstrap bootstrap, EventLoop loop, SslContext tls, String host, int port, String serverName,
             long timeoutNanos, int retries, ConditionSet conditions) {
        super("tls", bootstrap, loop, host, port, timeoutNanos, retries, conditions);
        this.tls = tls;
        this.peerName = serverName == null || serverName.isBlank() ? host : serverName;
        this.port = port;
    }

    @Override
    CheckRun newRun(CheckJob job, CheckSink sink) {
        return new Run(job, sink);
    }

    private final class Run extends ConnectRun {
        Run(CheckJob job, CheckSink sink) {
            super(job, sink);
        }

        @Override
        void onConnected(Channel connected, int a) {
            phase = Phase.TLS;
            SslHandler ssl = tls.newHandler(connected.alloc(), peerName, port);
            ssl.setHandshakeTimeoutMillis(0); // the check's own deadline covers the handshake
            connected.pipeline().addFirst(ssl); // the channel is active: adding it starts the handshake
            ssl.handshakeFuture().addListener((Future<Channel> h) -> onHandshake(h, ssl, a));
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
                ResultView view = connectedView();
                if (expiry != ClientTls.NO_EXPIRY) view.certificateRemainingMillis(expiry - now);
                failure = conditions.firstFailure(view);
            }
            abortAttempt();
            conclude(a, failure);
        }
    }
}
