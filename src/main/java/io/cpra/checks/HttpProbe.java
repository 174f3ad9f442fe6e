package io.cpra.checks;

import io.cpra.config.PulseTarget;

/** A prepared HTTP(S) check; immutable and shared by every monitor with the same spec. */
final class HttpProbe implements Probe {

    final NettyProbeFactory factory;
    final HttpTarget target;
    final HostPool pool;
    final long timeoutNanos;
    final int retries;
    final StatusRule statuses;
    /** Null when the body is not checked. */
    final BodyMatcher matcher;
    final boolean followRedirects;
    final String[] timeoutReasons;

    HttpProbe(NettyProbeFactory factory, PulseTarget.Http http, long timeoutNanos, int retries) {
        this.factory = factory;
        this.target = new HttpTarget(http.url(), http.method(), http.headers());
        this.pool = factory.pool(target);
        this.timeoutNanos = timeoutNanos;
        this.retries = retries;
        this.statuses = StatusRule.of(http.expectedStatus());
        this.matcher = http.bodyContains() == null ? null : new BodyMatcher(http.bodyContains());
        this.followRedirects = http.followRedirects();
        this.timeoutReasons = CheckRun.Phase.timeoutReasons(timeoutNanos);
    }

    @Override
    public void start(CheckJob job, CheckSink sink) {
        new HttpCheck(this, job, sink).launch();
    }

    @Override
    public long budgetNanos() {
        return timeoutNanos * (retries + 1L);
    }
}
