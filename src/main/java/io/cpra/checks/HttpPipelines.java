package io.cpra.checks;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The handlers of an HTTP connection: TLS when asked, the idle timeout, the bounded decoder, the router. */
final class HttpPipelines {

    private final SslContext tls;
    private final long idleNanos;

    HttpPipelines(SslContext tls, Duration idleTimeout) {
        this.tls = tls;
        this.idleNanos = idleTimeout.toNanos();
    }

    void install(Channel ch, HttpTarget.Key key) {
        ChannelPipeline p = ch.pipeline();
        if (key.tls()) {
            SslHandler ssl = tls.newHandler(ch.alloc(), key.host(), key.port());
            ssl.setHandshakeTimeoutMillis(0); // the check's own deadline covers the handshake
            p.addLast(ssl);
        }
        p.addLast(new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS));
        HttpConnection.ResponseDecoder decoder = new HttpConnection.ResponseDecoder();
        p.addLast(decoder);
        p.addLast(new HttpConnection(decoder));
    }
}
