/**
 * {@code cpra bench}: the engine measured at scale against a local fleet. See docs/scale.md.
 *
 * <p>Decisions:
 * <ul>
 *   <li>The fleet runs as a child process ({@code cpra fleet}): its CPU is read apart from the engine's, and
 *       its garbage is not the engine's. Both still share the machine's cores, as they would on one host.</li>
 *   <li>Monitors are http only, on {@code /health} (what fleet flapping fails), written by the generator of
 *       {@code cpra generate} and read back by the real loader: tcp checks would open a connection per check
 *       and icmp does not reach a port.</li>
 *   <li>The reference is a closed loop of keep-alive GETs over the same ports and as many connections as the
 *       checks may use, on as many event loop threads: the most this machine serves without the engine.
 *       Figures are ratios to it because the machine is shared.</li>
 *   <li>Alerts are counted, not delivered: notifier traffic is not what is measured.</li>
 * </ul>
 */
package io.cpra.bench;
