package io.cpra.fleet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.util.Arrays;

/**
 * A body of {@code length} bytes of 'x', served as slices of one shared 64 KiB buffer: a huge response
 * costs no memory, and ChunkedWriteHandler sends the next slice only when the socket takes it.
 */
final class RepeatedBytes implements ChunkedInput<ByteBuf> {

    private static final int CHUNK = 64 * 1024;
    private static final ByteBuf PATTERN;

    static {
        byte[] xs = new byte[CHUNK];
        Arrays.fill(xs, (byte) 'x');
        PATTERN = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeBytes(xs));
    }

    private final long length;
    private long progress;

    RepeatedBytes(long length) {
        this.length = length;
    }

    @Override
    public boolean isEndOfInput() {
        return progress >= length;
    }

    @Override
    public void close() {}

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) return null;
        int size = (int) Math.min(CHUNK, length - progress);
        progress += size;
        return PATTERN.slice(0, size);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return progress;
    }
}
