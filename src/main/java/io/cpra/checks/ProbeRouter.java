package io.cpra.checks;

import io.cpra.checks.icmp.IcmpProbes;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseType;
import java.time.Duration;

/** The probe factory of a running CPRA: ICMP to its ping sockets, every other pulse type to Netty. */
public final class ProbeRouter implements ProbeFactory {

    private final NettyProbeFactory netty;
    private final IcmpProbes icmp;

    public ProbeRouter(NettyProbeFactory netty, IcmpProbes icmp) {
        this.netty = netty;
        this.icmp = icmp;
    }

    /** Netty with default settings, ICMP in the best mode this machine allows. */
    public static ProbeRouter open() {
        return new ProbeRouter(new NettyProbeFactory(), IcmpProbes.open());
    }

    /**
     * Runs a few real checks against a loopback endpoint, so the first real checks do not pay for class
     * loading (see {@link WarmUp}). @return true when they all finished within {@code limit}
     */
    public boolean warmUp(Duration limit) {
        return WarmUp.run(netty, 8, limit);
    }

    @Override
    public Probe prepare(PulseSpec pulse) {
        return pulse.type() == PulseType.ICMP ? icmp.prepare(pulse) : netty.prepare(pulse);
    }

    @Override
    public void close() {
        try {
            netty.close();
        } finally {
            icmp.close();
        }
    }
}
