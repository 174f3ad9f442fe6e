package io.cpra.checks;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a pooled HTTP connection: routes decoded response parts to the check that currently
 * owns the connection. With no owner (idle in the pool) anything that arrives, including the idle timeout,
 * closes the connection.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {

    /** Bounded so a hostile peer cannot make us buffer: long lines and headers fail as malformed. */
    static final HttpDecoderConfig DECODER_CONFIG = new HttpDecoderConfig()
            .setMaxInitialLineLength(4096)
            .setMaxHeaderSize(16 * 1024)
            .setMaxChunkSize(16 * 1024);

    /**
     * The response half of Netty's HttpClientCodec. Requests are written pre-encoded, bypassing the codec's
     * encoder, so the decoder is told directly when the answer to a HEAD has no body.
     */
    static final class ResponseDecoder extends HttpResponseDecoder {
        boolean headRequest;

        ResponseDecoder() {
            super(DECODER_CONFIG);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            return headRequest || super.isContentAlwaysEmpty(msg);
        }
    }

    final ResponseDecoder decoder;
    /** Epoch ms of the earliest certificate expiry of the peer's chain, read once after the handshake. */
    long certificateExpiry = ClientTls.NO_EXPIRY;
    private HttpCheck owner;

    HttpConnection(ResponseDecoder decoder) {
        this.decoder = decoder;
    }

    void bind(HttpCheck check, boolean headRequest) {
        owner = check;
        decoder.headRequest = headRequest;
    }

    void unbind() {
        owner = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (owner != null) owner.onResponsePart(msg);
            else ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (owner != null) owner.onConnectionError(cause);
        else ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (owner != null) owner.onConnectionClosed();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && owner == null) ctx.close();
        ReferenceCountUtil.release(evt);
    }
}
