package io.cpra.checks;

import io.cpra.checks.conditions.ConditionSet;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * Success = a TCP connection is established within the timeout, then every condition holds
 * ({@code [CONNECTED]}, {@code [RESPONSE_TIME]}); the connection is closed at once.
 */
final class TcpProbe extends ConnectProbe {

    /** @param bootstrap connects on {@code loop} only, so callbacks and timers share one thread */
    TcpProbe(Bootstrap bootstrap, EventLoop loop, String host, int port, long timeoutNanos, int retries,
             ConditionSet conditions) {
        super("tcp", bootstrap, loop, host, port, timeoutNanos, retries, conditions);
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
            abortAttempt(); // connected is all the check needs
            conclude(a, conditions.isEmpty() ? null : conditions.firstFailure(connectedView()));
        }
    }
}
