package io.cpra.checks;

import io.cpra.checks.conditions.ConditionSet;
import io.cpra.checks.conditions.Placeholder;
import io.cpra.config.PulseTarget;

/** A prepared HTTP(S) check; immutable and shared by every monitor with the same spec. */
final class HttpProbe extends AttemptingProbe {

    final NettyProbeFactory factory;
    final HttpTarget target;
    final HostPool pool;
    /** Null when a [STATUS] condition replaces the default any-2xx rule. */
    final StatusRule statuses;
    /** Null when the body is not checked. */
    final BodyMatcher matcher;
    final boolean followRedirects;
    /** Whether checks keep the body (bounded) for [BODY] conditions; body_contains streams instead. */
    final boolean keepBody;

    /**
     * Conditions apply after the status rule and body_contains. A condition on [STATUS] replaces the default
     * any-2xx rule (so {@code [STATUS] == 503} can pass), but never an explicit expected_status.
     */
    HttpProbe(NettyProbeFactory factory, PulseTarget.Http http, long timeoutNanos, int retries, ConditionSet conditions) {
        super(timeoutNanos, retries, conditions);
        this.factory = factory;
        this.target = new HttpTarget(http.url(), http.method(), http.headers());
        this.pool = factory.pool(target);
        boolean statusByConditions = http.expectedStatus().isEmpty() && conditions.mentions(Placeholder.STATUS);
        this.statuses = statusByConditions ? null : StatusRule.of(http.expectedStatus());
        this.matcher = http.bodyContains() == null ? null : new BodyMatcher(http.bodyContains());
        this.followRedirects = http.followRedirects();
        this.keepBody = conditions.needsBody();
    }

    @Override
    CheckRun newRun(CheckJob job, CheckSink sink) {
        return new HttpCheck(this, job, sink);
    }
}
