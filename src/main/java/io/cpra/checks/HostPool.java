package io.cpra.checks;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * Keep-alive connections to one (host, port, tls), at most {@code max} open. The pool, its connections and
 * the checks using them all live on one event loop, so its state needs no locks. Idle connections are reused
 * most-recent first, so the least used ones age out through the idle timeout.
 *
 * <p>A million monitors may mean a million hosts, so a pool is small: it shares its loop's bootstrap and
 * is itself the initializer of its connections.
 */
final class HostPool extends ChannelInitializer<Channel> implements ChannelFutureListener {

    final EventLoop loop;
    private final Bootstrap loopBootstrap;
    private final HttpPipelines pipelines;
    private final HttpTarget.Key key;
    private final InetSocketAddress address;
    private final int max;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>(2);
    private final ArrayDeque<HttpCheck> waiting = new ArrayDeque<>(2);
    private int open;

    /** @param loopBootstrap registers its channels on {@code loop}; has no handler of its own */
    HostPool(EventLoop loop, Bootstrap loopBootstrap, HttpPipelines pipelines, HttpTarget.Key key,
             InetSocketAddress address, int max) {
        this.loop = loop;
        this.loopBootstrap = loopBootstrap;
        this.pipelines = pipelines;
        this.key = key;
        this.address = address;
        this.max = max;
    }

    @Override
    protected void initChannel(Channel ch) {
        pipelines.install(ch, key);
    }

    /** Hands {@code check} an idle connection, a new one, or a place in the queue. */
    void acquire(HttpCheck check) {
        Channel ch;
        while ((ch = idle.pollLast()) != null) {
            if (ch.isActive()) {
                check.useConnection(ch, true);
                return;
            }
        }
        acquireNew(check);
    }

    /** Like {@link #acquire} but never an idle connection: after a reused one turned out stale. */
    void acquireNew(HttpCheck check) {
        if (open < max) {
            connect(check);
        } else {
            check.phase = CheckRun.Phase.WAIT;
            waiting.addLast(check);
        }
    }

    /** A clean connection back from a finished exchange. */
    void release(Channel ch) {
        if (!ch.isActive()) return;
        HttpCheck next = waiting.pollFirst();
        if (next != null) next.useConnection(ch, true);
        else idle.addLast(ch);
    }

    void leaveQueue(HttpCheck check) {
        waiting.remove(check);
    }

    private void connect(HttpCheck check) {
        open++;
        ChannelFuture f = loopBootstrap.clone().handler(this).connect(address);
        if (f.isDone() && !f.isSuccess() && !f.channel().isRegistered()) {
            open--; // the channel never came to be (no file descriptors left?): nothing will ever close it
        } else {
            f.channel().closeFuture().addListener(this);
        }
        check.connecting(f);
    }

    /** A connection closed: its slot goes to the first waiting check. */
    @Override
    public void operationComplete(ChannelFuture closed) {
        open--;
        idle.remove(closed.channel());
        HttpCheck next = waiting.pollFirst();
        if (next != null) connect(next);
    }
}
