package io.cpra.fleet;

import java.net.InetAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code cpra fleet}: run a local fleet of simulated services until SIGINT or SIGTERM. */
@Command(name = "fleet",
        mixinStandardHelpOptions = true,
        description = {
                "Simulate many HTTP services on a port range of a loopback address, for load tests.",
                "Paths: /health /ok /slow?ms=N /slow?min=A&max=B /flaky?ratio=R /status/NNN /hang /reset /huge?mb=N.",
                "Admin (127.0.0.1): POST /ports/{port}/fail|heal|kill|revive, POST /flap?fraction=0.05&period=30s,",
                "POST /flap/stop, GET /stats."
        })
public final class FleetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--ports", required = true, paramLabel = "FIRST-LAST", converter = PortRangeConverter.class,
            description = "Ports to answer on, e.g. 20000-20999.")
    private PortRange ports;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", converter = LoopbackConverter.class,
            description = "Loopback address to listen on, within 127.0.0.0/8 (default: ${DEFAULT-VALUE}).")
    private InetAddress host;

    @Option(names = "--admin", paramLabel = "PORT", description = "Management port on 127.0.0.1 (default: none).")
    private Integer adminPort;

    @Option(names = "--threads", paramLabel = "N", description = "Event loop threads (default: 1 or 2, by cores).")
    private Integer threads;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + FleetSettings.DEFAULT_MAX_CONNECTIONS,
            description = "Open connections over all ports; more are closed at once (default: ${DEFAULT-VALUE}).")
    private int maxConnections;

    @Override
    public Integer call() throws InterruptedException {
        FleetSettings settings = settings();
        Fleet fleet = new Fleet(settings).start();
        Thread stopper = new Thread(fleet::stop, "cpra-fleet-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        spec.commandLine().getOut().println(describe(fleet));
        spec.commandLine().getOut().flush();
        fleet.awaitTermination();
        return 0;
    }

    private FleetSettings settings() {
        try {
            FleetSettings settings = FleetSettings.of(ports).withHost(host).withMaxConnections(maxConnections);
            if (threads != null) settings = settings.withThreads(threads);
            return adminPort == null ? settings : settings.withAdminPort(adminPort);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code fleet: 1000 ports on 127.0.0.1:20000-20999 (epoll, 2 threads), admin 127.0.0.1:19999}. */
    static String describe(Fleet fleet) {
        String admin = fleet.adminPort() == FleetSettings.NO_ADMIN ? "no admin port" : "admin 127.0.0.1:" + fleet.adminPort();
        return "fleet: " + fleet.ports().size() + " ports on " + fleet.host().getHostAddress() + ":" + fleet.ports()
                + " (" + fleet.transport() + ", " + fleet.threads() + " threads), " + admin;
    }

    /** {@code FIRST-LAST} on the command line; {@code cpra bench} takes its ports the same way. */
    public static final class PortRangeConverter implements ITypeConverter<PortRange> {
        @Override
        public PortRange convert(String value) {
            try {
                return PortRange.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class LoopbackConverter implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            try {
                return FleetSettings.loopback(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
