/**
 * The operator surface of {@code cpra run}: an embedded HTTP server (the JDK's com.sun.net.httpserver on
 * virtual threads) with the JSON API under {@code /api/v1}, Prometheus metrics at {@code /metrics},
 * {@code /healthz}, {@code /readyz}, {@code POST /-/reload} and the dashboard at {@code /}.
 *
 * <ul>
 *   <li>{@link io.cpra.api.ApiServer}: binding, routing, authentication of mutating calls, JSON errors.</li>
 *   <li>{@link io.cpra.api.MonitorResource}, {@link io.cpra.api.GridResource},
 *       {@link io.cpra.api.MaintenanceResource}: the API; every engine read goes through the engine's own
 *       thread (the Engine marshals its public calls) and lists are paged.</li>
 *   <li>{@link io.cpra.api.Metrics}: Micrometer over engine snapshots taken at scrape time; no per-monitor
 *       series and nothing added to the engine's hot path.</li>
 *   <li>{@link io.cpra.api.AlertLog}: a bounded ring of recent delivery outcomes fed by the dispatcher.</li>
 * </ul>
 */
package io.cpra.api;
