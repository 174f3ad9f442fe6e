/**
 * {@code cpra fleet}: a local fleet of simulated services for load tests and benchmarks.
 * {@link io.cpra.fleet.Fleet} answers HTTP/1.1 on every port of a range of a loopback address, on one or
 * two event loop threads; {@link io.cpra.fleet.FleetCommand} runs it from the command line.
 *
 * <p>Decisions:
 * <ul>
 *   <li>Only 127.0.0.0/8: a simulator of failing services must never be reachable from another machine.
 *       Host names other than {@code localhost} are refused without a DNS lookup.</li>
 *   <li>Everything is bounded: open connections (more are closed at once and counted as refused), request
 *       line 4 KiB, headers 8 KiB, body 16 KiB by default (413 beyond), delays 10 minutes, huge bodies
 *       1 GiB, 16 pipelined requests waiting behind a slow or hung one.</li>
 *   <li>Delays are event loop timers; huge bodies are slices of one shared buffer written as the socket
 *       drains; responses leave in request order.</li>
 *   <li>Fail and flap change only {@code /health} and {@code /ok}; kill closes the listener and the port's
 *       open connections. A flap starts failing and alternates every period; heal does not stop it.</li>
 * </ul>
 */
package io.cpra.fleet;
