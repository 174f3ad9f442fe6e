package io.cpra.fleet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Complete HTTP/1.1 responses with a length, so that connections stay alive between them. */
final class Replies {

    private static final ByteBuf OK = constant("ok");

    private Replies() {}

    static FullHttpResponse ok() {
        return response(HttpResponseStatus.OK, OK.duplicate(), HttpHeaderValues.TEXT_PLAIN);
    }

    static FullHttpResponse text(int status, String body) {
        return response(HttpResponseStatus.valueOf(status), Unpooled.copiedBuffer(body, StandardCharsets.UTF_8),
                HttpHeaderValues.TEXT_PLAIN);
    }

    static FullHttpResponse json(int status, byte[] body) {
        return response(HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body), HttpHeaderValues.APPLICATION_JSON);
    }

    private static FullHttpResponse response(HttpResponseStatus status, ByteBuf body, CharSequence type) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    private static ByteBuf constant(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }
}
