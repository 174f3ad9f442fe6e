package io.cpra.api;

import io.cpra.config.ActionType;
import io.cpra.config.NotifierType;
import io.cpra.config.PulseType;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineStats;
import io.cpra.engine.MonitorState;
import io.cpra.engine.OperatorViews.Counters;
import io.cpra.engine.OperatorViews.Outcome;
import io.cpra.notify.AlertDispatcher;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * {@code /metrics}: aggregate series only, none per monitor, so the series count does not grow with the
 * fleet. The engine is not instrumented: each scrape takes one {@link EngineStats} and one
 * {@link Counters} snapshot on the engine thread ({@link #refresh}) and every gauge and function counter
 * reads those. The check latency histogram comes from the engine's own primitive buckets, exported as a
 * Prometheus classic histogram by a collector.
 */
final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final Engine engine;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile EngineStats stats;
    private volatile Counters counters;

    Metrics(Engine engine) {
        this.engine = engine;
        PrometheusRegistry prometheus = new PrometheusRegistry();
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus, Clock.SYSTEM);
        refresh();
        registerEngine();
        prometheus.register(latencyHistogram());
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Open circuit breakers per notifier type, read from the dispatcher at scrape time. */
    void watch(AlertDispatcher alerts) {
        for (NotifierType type : NotifierType.values()) {
            Gauge.builder("cpra.notifier.open.breakers", alerts, a -> a.counts(type).openBreakers())
                    .tag("notifier", type.key()).description("destinations whose circuit breaker is open")
                    .register(registry);
        }
    }

    String scrape() {
        refresh();
        return registry.scrape();
    }

    private void refresh() {
        stats = engine.stats();
        counters = engine.counters();
    }

    private void registerEngine() {
        for (MonitorState state : MonitorState.values()) {
            gauge("cpra.monitors", "monitors by state", s -> s.monitorsByState().getOrDefault(state, 0))
                    .tag("state", key(state)).register(registry);
        }
        gauge("cpra.checks.in.flight", "checks in flight", EngineStats::inFlight).register(registry);
        gauge("cpra.interventions.in.flight", "intervention runs in flight", EngineStats::runsInFlight).register(registry);
        gauge("cpra.queue.ready", "due monitors waiting for a free check job", EngineStats::waiting).register(registry);
        gauge("cpra.checks.dispatch.limit", "checks in flight allowed now: the capacity plan, or the whole pool under a backlog",
                EngineStats::dispatchLimit).register(registry);
        gauge("cpra.capacity.planned.in.flight", "checks in flight the M/M/c plan (Allen-Cunneen) asks for", s -> s.plan().servers())
                .register(registry);
        gauge("cpra.capacity.arrival.rate", "checks falling due per second, sliding window", s -> s.plan().arrivalRate())
                .register(registry);
        gauge("cpra.capacity.service.rate", "checks one slot completes per second, sliding window", s -> s.plan().serviceRate())
                .register(registry);
        gauge("cpra.capacity.utilisation", "offered load over planned servers", s -> s.plan().utilisation()).register(registry);
        gauge("cpra.checks.lateness.p99.seconds", "99th percentile of dispatch time minus due time since start",
                s -> s.lateness().percentile(0.99) / 1e9).register(registry);
        counter("cpra.watermark.pauses", "dispatch paused by a queue above its high watermark", EngineStats::watermarkPauses);
        Gauge.builder("cpra.maintenance.windows.active", this, m -> m.counters.maintenanceActive())
                .description("maintenance windows in effect").register(registry);
        counter("cpra.checks.late", "checks dispatched later than due plus tolerance", EngineStats::late);
        counter("cpra.checks.missed", "due times skipped because the previous check was still in flight", EngineStats::missed);
        counter("cpra.results.stale", "results dropped because the engine no longer waited for them", EngineStats::staleDropped);
        counter("cpra.deadlines.expired", "checks and runs failed with deadline exceeded", EngineStats::deadlinesExpired);
        counter("cpra.backpressure.waits", "dispatch stopped with monitors due and every job in flight", EngineStats::backPressureWaits);
        counter("cpra.results.overflows", "results a probe could not hand back", EngineStats::resultOverflows);
        counter("cpra.alerts.raised", "alerts handed to delivery", EngineStats::alertsRaised);
        for (PulseType type : PulseType.values()) {
            for (Outcome outcome : Outcome.values()) {
                FunctionCounter.builder("cpra.checks", this, m -> m.counters.checks(type, outcome))
                        .description("check results applied").tag("type", type.key()).tag("outcome", key(outcome))
                        .register(registry);
            }
        }
        for (ActionType action : ActionType.values()) {
            for (Outcome outcome : Outcome.values()) {
                FunctionCounter.builder("cpra.interventions", this, m -> m.counters.runs(action, outcome))
                        .description("intervention runs finished").tag("action", action.key()).tag("outcome", key(outcome))
                        .register(registry);
            }
        }
    }

    private Gauge.Builder<Metrics> gauge(String name, String help, ToDoubleFunction<EngineStats> value) {
        return Gauge.builder(name, this, m -> value.applyAsDouble(m.stats)).description(help);
    }

    private void counter(String name, String help, ToDoubleFunction<EngineStats> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.stats)).description(help).register(registry);
    }

    private Collector latencyHistogram() {
        return () -> {
            Counters c = counters;
            double[] bounds = c.latencyBoundsSeconds();
            int width = bounds.length + 1;
            double[] upper = new double[width];
            System.arraycopy(bounds, 0, upper, 0, bounds.length);
            upper[bounds.length] = Double.POSITIVE_INFINITY;
            HistogramSnapshot.Builder histogram = HistogramSnapshot.builder()
                    .name("cpra_check_latency_seconds").help("latency of completed checks (deadline expiries excluded)");
            for (PulseType type : PulseType.values()) {
                long[] counts = new long[width]; // per bucket: the text format accumulates them
                System.arraycopy(c.latencyBuckets(), type.ordinal() * width, counts, 0, width);
                histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .labels(Labels.of("type", type.key()))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts))
                        .sum(c.latencySumNanos()[type.ordinal()] / 1e9)
                        .build());
            }
            return (MetricSnapshot) histogram.build();
        };
    }

    private static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
