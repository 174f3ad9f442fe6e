package io.cpra.checks;

import io.cpra.checks.conditions.ConditionSet;
import io.cpra.checks.conditions.Conditions;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.dns.DefaultDnsCache;
import io.netty.resolver.dns.DefaultDnsCnameCache;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocalThread;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs HTTP(S), TCP, TLS and DNS checks on a fixed set of Netty event loop threads ({@code cpra-check-N}, native epoll
 * when available): asynchronous DNS with a TTL-honouring cache, keep-alive pools per (host, port, tls), JDK
 * TLS that verifies certificates and host names.
 */
public final class NettyProbeFactory implements ProbeFactory {

    private static final int DNS_QUERY_TIMEOUT_MILLIS = 2000;
    /** DNS checks cancel their query at their own deadline; this only bounds a query nobody cancelled. */
    private static final int DNS_CHECK_BACKSTOP_MILLIS = 60_000;

    private final ProbeSettings settings;
    private final EventLoopGroup group;
    private final EventLoop[] loops;
    private final Bootstrap[] tcpBootstraps;
    private final Bootstrap[] httpBootstraps;
    private final HttpPipelines pipelines;
    private final SslContext tls;
    private final DnsAddressResolverGroup resolvers;
    /** Per loop, created by the first DNS check on it: asks arbitrary questions of any server. */
    private final DnsNameResolver[] queryResolvers;
    private final Class<? extends SocketChannel> socketType;
    private final Class<? extends DatagramChannel> datagramType;
    private final ConcurrentHashMap<HttpTarget.Key, HostPool> pools = new ConcurrentHashMap<>();
    private final AtomicInteger nextLoop = new AtomicInteger();

    public NettyProbeFactory() {
        this(ProbeSettings.defaults());
    }

    public NettyProbeFactory(ProbeSettings settings) {
        this.settings = settings;
        this.tls = ClientTls.context(settings.trustedCertificates());
        this.pipelines = new HttpPipelines(tls, settings.idleTimeout());
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.socketType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.datagramType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        this.group = new MultiThreadIoEventLoopGroup(settings.ioThreads(), namedThreads(), io);
        this.resolvers = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(datagramType)
                .socketChannelType(socketType)
                .resolveCache(new DefaultDnsCache())
                .cnameCache(new DefaultDnsCnameCache())
                .queryTimeoutMillis(DNS_QUERY_TIMEOUT_MILLIS)
                .nameServerProvider(nameServers(settings)));
        Bootstrap base = new Bootstrap()
                .channel(socketType)
                .resolver(resolvers)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0); // each check's own deadline rules
        List<EventLoop> all = new ArrayList<>();
        for (EventExecutor e : group) all.add((EventLoop) e);
        this.loops = all.toArray(EventLoop[]::new);
        this.queryResolvers = new DnsNameResolver[loops.length];
        this.tcpBootstraps = new Bootstrap[loops.length];
        this.httpBootstraps = new Bootstrap[loops.length];
        for (int i = 0; i < loops.length; i++) {
            httpBootstraps[i] = base.clone(loops[i]);
            // reset instead of FIN: a checker opening many short connections must not pile up TIME_WAIT
            tcpBootstraps[i] = base.clone(loops[i]).option(ChannelOption.SO_LINGER, 0).handler(IgnoreInput.INSTANCE);
        }
    }

    /**
     * Conditions are compiled here, once per probe. Each probe type has a default success rule (HTTP: the
     * expected statuses, else 2xx; DNS: NOERROR; TCP and TLS: connected, handshake verified); conditions add
     * to it, except that a condition on the rule's own placeholder ([STATUS] with no expected_status,
     * [DNS_RCODE]) replaces it.
     */
    @Override
    public Probe prepare(PulseSpec pulse) {
        if (pulse.timeoutNanos() <= 0) throw new IllegalArgumentException("timeout must be positive");
        if (pulse.retries() < 0) throw new IllegalArgumentException("retries must not be negative");
        ConditionSet conditions = pulse.conditions() == null ? ConditionSet.NONE : Conditions.compile(pulse.conditions());
        long timeout = pulse.timeoutNanos();
        int retries = pulse.retries();
        return switch (pulse.target()) {
            case PulseTarget.Http http -> new HttpProbe(this, http, timeout, retries, conditions);
            case PulseTarget.Tcp tcp -> {
                int i = loopIndex();
                yield new TcpProbe(tcpBootstraps[i], loops[i], tcp.host(), tcp.port(), timeout, retries, conditions);
            }
            case PulseTarget.Tls t -> {
                int i = loopIndex();
                yield new TlsProbe(tcpBootstraps[i], loops[i], tls, t.host(), t.port(), t.serverName(), timeout, retries, conditions);
            }
            case PulseTarget.Dns dns -> {
                int i = loopIndex();
                InetSocketAddress server = dns.server() == null || dns.server().isBlank() ? null : DnsProbe.server(dns.server());
                yield new DnsProbe(queryResolver(i), loops[i], dns.name(), dns.recordType(), server,
                        dns.expected() == null ? List.of() : dns.expected(), timeout, retries, conditions);
            }
            case PulseTarget.Icmp icmp -> throw new IllegalArgumentException(
                    "pulse type 'icmp' is not supported yet (supported: http, tcp, dns, tls)");
        };
    }

    private synchronized DnsNameResolver queryResolver(int i) {
        if (queryResolvers[i] == null) {
            queryResolvers[i] = new DnsNameResolverBuilder(loops[i])
                    .datagramChannelType(datagramType)
                    .socketChannelType(socketType) // a truncated answer is asked again over TCP
                    .nameServerProvider(nameServers(settings))
                    .queryTimeoutMillis(DNS_CHECK_BACKSTOP_MILLIS)
                    .recursionDesired(true)
                    .build();
        }
        return queryResolvers[i];
    }

    /** The keep-alive pool for a target's (host, port, tls), created on first use. */
    HostPool pool(HttpTarget target) {
        return pools.computeIfAbsent(target.key, key -> {
            int i = loopIndex();
            return new HostPool(loops[i], httpBootstraps[i], pipelines, key, target.address,
                    settings.maxConnectionsPerHost());
        });
    }

    @Override
    public void close() {
        synchronized (this) {
            for (DnsNameResolver r : queryResolvers) if (r != null) r.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        resolvers.close();
    }

    private int loopIndex() {
        return Math.floorMod(nextLoop.getAndIncrement(), loops.length);
    }

    /** A TCP check never reads; whatever the peer sends is dropped with the connection. */
    @ChannelHandler.Sharable
    private static final class IgnoreInput extends ChannelInboundHandlerAdapter {
        static final IgnoreInput INSTANCE = new IgnoreInput();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static DnsServerAddressStreamProvider nameServers(ProbeSettings settings) {
        return settings.nameServers().isEmpty()
                ? DnsServerAddressStreamProviders.platformDefault()
                : new SequentialDnsServerAddressStreamProvider(settings.nameServers());
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new FastThreadLocalThread(task, "cpra-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
