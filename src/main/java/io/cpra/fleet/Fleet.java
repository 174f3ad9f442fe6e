package io.cpra.fleet;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A local fleet of simulated services: one HTTP/1.1 server answering on every port of a range of a
 * loopback address, on one or two event loop threads. Ports can be made to fail, killed and revived,
 * or set flapping, here or through the admin endpoint ({@link AdminHandler}).
 *
 * <p>Paths: {@code /health} and {@code /ok} (200 "ok", or 503 while the port fails), {@code /slow?ms=N}
 * or {@code /slow?min=A&max=B}, {@code /flaky?ratio=R}, {@code /status/NNN}, {@code /hang},
 * {@code /reset} (RST) and {@code /huge?mb=N}. A TCP check only needs the port open.
 */
public final class Fleet implements AutoCloseable {

    private static final InetAddress ADMIN_HOST = FleetSettings.loopback("127.0.0.1");
    private static final int MAX_LINE_BYTES = 4096;
    private static final int MAX_HEADER_BYTES = 8192;
    private static final int ADMIN_MAX_BODY_BYTES = 4096;

    /** Ports that alternate failing and healthy, failing first, one period each. */
    private record Flap(BitSet members, int count, long startNanos, long periodNanos) {
        boolean isDown(int index, long nowNanos) {
            return members.get(index) && ((nowNanos - startNanos) / periodNanos & 1) == 0;
        }
    }

    private final FleetSettings settings;
    private final FleetStats stats = new FleetStats();
    private final AtomicReferenceArray<Channel> listeners;
    private final AtomicIntegerArray failed;
    private final boolean epoll = Epoll.isAvailable();
    private volatile Flap flap;
    private EventLoopGroup group;
    private ServerBootstrap bootstrap;
    private ChannelGroup connections;
    private volatile Channel admin;

    public Fleet(FleetSettings settings) {
        this.settings = settings;
        this.listeners = new AtomicReferenceArray<>(settings.ports().size());
        this.failed = new AtomicIntegerArray(settings.ports().size());
    }

    /** Listens on every port (and the admin port); if any cannot be bound, nothing stays open. */
    public synchronized Fleet start() {
        if (group != null) throw new IllegalStateException("the fleet is already started");
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(settings.threads(), new DefaultThreadFactory("cpra-fleet", true), io);
        connections = new DefaultChannelGroup("cpra-fleet", GlobalEventExecutor.INSTANCE);
        bootstrap = server(new ServiceConnections());
        try {
            List<ChannelFuture> binds = new ArrayList<>(settings.ports().size());
            for (int port = settings.ports().first(); port <= settings.ports().last(); port++) {
                binds.add(bootstrap.bind(settings.host(), port));
            }
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < binds.size(); i++) {
                ChannelFuture bind = binds.get(i).awaitUninterruptibly();
                if (bind.isSuccess()) listeners.set(i, bind.channel());
                else failures.add(bindFailure(settings.host(), settings.ports().first() + i, bind.cause()));
            }
            if (!failures.isEmpty()) {
                String more = failures.size() > 1 ? " (and " + (failures.size() - 1) + " more ports)" : "";
                throw new IllegalStateException(failures.getFirst() + more);
            }
            if (settings.adminPort() != FleetSettings.NO_ADMIN) {
                ChannelFuture bind = server(new AdminConnections())
                        .bind(ADMIN_HOST, settings.adminPort()).awaitUninterruptibly();
                if (!bind.isSuccess()) throw new IllegalStateException(bindFailure(ADMIN_HOST, settings.adminPort(), bind.cause()));
                admin = bind.channel();
            }
            return this;
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Same as {@link #stop()}, for try-with-resources. */
    @Override
    public void close() {
        stop();
    }

    /** Closes every listener and connection and stops the threads; idempotent. */
    public synchronized void stop() {
        if (group == null || group.isShuttingDown()) return;
        // Listeners first, so that no connection is accepted while the loops stop.
        List<Future<?>> unbinds = new ArrayList<>();
        if (admin != null) unbinds.add(admin.close());
        for (int i = 0; i < listeners.length(); i++) {
            Channel listener = listeners.getAndSet(i, null);
            if (listener != null) unbinds.add(listener.close());
        }
        for (Future<?> unbind : unbinds) unbind.awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Blocks until {@link #stop()} has stopped the fleet. */
    public void awaitTermination() throws InterruptedException {
        EventLoopGroup started;
        synchronized (this) {
            started = group;
        }
        if (started == null) throw new IllegalStateException("the fleet was never started");
        started.terminationFuture().await();
    }

    public PortRange ports() {
        return settings.ports();
    }

    public InetAddress host() {
        return settings.host();
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    public int threads() {
        return settings.threads();
    }

    /** The admin port as bound (useful when 0 asked for any free one), or {@link FleetSettings#NO_ADMIN}. */
    public int adminPort() {
        return admin == null ? FleetSettings.NO_ADMIN : ((InetSocketAddress) admin.localAddress()).getPort();
    }

    /** From now on the port's {@code /health} and {@code /ok} answer 503. */
    public void fail(int port) {
        failed.set(ports().indexOf(port), 1);
    }

    /** Undoes {@link #fail}; a flap goes on until stopped. */
    public void heal(int port) {
        failed.set(ports().indexOf(port), 0);
    }

    /** Closes the port's listener and its connections: new connections are refused. Not from an event loop. */
    public void kill(int port) {
        killLater(port).syncUninterruptibly();
    }

    /** Listens on a killed port again. Not from an event loop. */
    public void revive(int port) {
        reviveLater(port).syncUninterruptibly();
    }

    /**
     * Sets {@code fraction} of the ports, picked at random, alternating failing and healthy every
     * {@code period}, failing first; replaces any flap under way. Returns how many ports flap.
     */
    public int flap(double fraction, Duration period) {
        if (!(fraction >= 0 && fraction <= 1)) throw new IllegalArgumentException("fraction must be within 0-1, got " + fraction);
        if (!period.isPositive()) throw new IllegalArgumentException("period must be > 0, got " + period);
        int size = ports().size();
        int count = (int) Math.round(fraction * size);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom();
        BitSet members = new BitSet(size);
        for (int i = 0; i < count; i++) {
            int pick = i + random.nextInt(size - i);
            int chosen = order[pick];
            order[pick] = order[i];
            order[i] = chosen;
            members.set(chosen);
        }
        flap = new Flap(members, count, System.nanoTime(), period.toNanos());
        return count;
    }

    public void stopFlap() {
        flap = null;
    }

    public PortStatus status(int port) {
        int index = ports().indexOf(port);
        Flap current = flap;
        return new PortStatus(port, listeners.get(index) != null, isFailing(index),
                current != null && current.members().get(index));
    }

    public FleetSnapshot stats() {
        int listening = 0;
        int failing = 0;
        for (int i = 0; i < listeners.length(); i++) {
            if (listeners.get(i) != null) listening++;
            if (isFailing(i)) failing++;
        }
        Flap current = flap;
        return stats.snapshot(ports().size(), listening, failing, current == null ? 0 : current.count());
    }

    boolean isFailing(int index) {
        if (failed.get(index) != 0) return true;
        Flap current = flap;
        return current != null && current.isDown(index, System.nanoTime());
    }

    /** Completes when the listener and the port's connections are closed. */
    Future<Void> killLater(int port) {
        Channel listener = listeners.getAndSet(ports().indexOf(port), null);
        Promise<Void> done = ImmediateEventExecutor.INSTANCE.newPromise();
        PromiseCombiner combiner = new PromiseCombiner(ImmediateEventExecutor.INSTANCE);
        if (listener != null) combiner.add(listener.close());
        combiner.add(connections.close(ch -> ((InetSocketAddress) ch.localAddress()).getPort() == port));
        combiner.finish(done);
        return done;
    }

    /** Completes when the port listens again; at once if it never stopped. */
    Future<Void> reviveLater(int port) {
        int index = ports().indexOf(port);
        Promise<Void> done = ImmediateEventExecutor.INSTANCE.newPromise();
        if (listeners.get(index) != null) return done.setSuccess(null);
        bootstrap.bind(host(), port).addListener((ChannelFuture bind) -> {
            if (!bind.isSuccess()) {
                done.setFailure(new IllegalStateException(bindFailure(host(), port, bind.cause())));
            } else if (listeners.compareAndSet(index, null, bind.channel())) {
                done.setSuccess(null);
            } else {
                bind.channel().close();
                done.setSuccess(null);
            }
        });
        return done;
    }

    private ServerBootstrap server(ChannelHandler childInitializer) {
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        return new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(childInitializer);
    }

    /** A service connection: admitted within the connection limit, tracked so that kill can close it. */
    private final class ServiceConnections extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
            if (!stats.tryOpen(settings.maxConnections())) {
                ch.close();
                return;
            }
            ch.closeFuture().addListener(closed -> stats.closed());
            connections.add(ch);
            addHttp(ch, settings.maxRequestBytes(), new FleetHandler(Fleet.this, stats));
        }
    }

    private final class AdminConnections extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
            addHttp(ch, ADMIN_MAX_BODY_BYTES, new AdminHandler(Fleet.this));
        }
    }

    /** Bounded HTTP/1.1 with keep-alive; ChunkedWriteHandler streams huge bodies as the socket drains. */
    private static void addHttp(Channel ch, int maxBodyBytes, ChannelHandler handler) {
        ch.pipeline().addLast(
                new HttpServerCodec(MAX_LINE_BYTES, MAX_HEADER_BYTES, MAX_LINE_BYTES),
                new HttpServerKeepAliveHandler(),
                new HttpObjectAggregator(maxBodyBytes),
                new ChunkedWriteHandler(),
                handler);
    }

    private static String bindFailure(InetAddress host, int port, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return "cannot listen on " + host.getHostAddress() + ":" + port + ": " + reason;
    }
}
