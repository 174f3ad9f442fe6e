/**
 * Interventions: {@link io.cpra.actions.Actions} prepares script, docker and webhook actions. Every run
 * happens on a virtual thread, tries its attempt {@code retries + 1} times with a short pause, reports
 * exactly once, and leaves one audit record on the logger {@code io.cpra.audit}: monitor, action, run,
 * tries, duration, outcome, error and the end of the output, secrets masked.
 *
 * <ul>
 *   <li>script: run directly (no shell), environment inherited plus the target's {@code env} plus
 *       {@code CPRA_MONITOR}, {@code CPRA_STATE}, {@code CPRA_ERROR}, {@code CPRA_ATTEMPT} (run number in the
 *       incident); exit 0 is success, else {@code exit N}; on timeout the process tree is killed
 *       ({@code timed out after 5s}); output is the last 4 KiB of stdout and stderr merged.</li>
 *   <li>docker: {@code POST /v{api}/containers/{name}/restart?t={timeout seconds}} on {@code DOCKER_HOST}
 *       (unix:// or tcp://, default unix:///var/run/docker.sock; TLS is not supported), API version from
 *       {@code GET /_ping}; the request may take the target timeout plus a margin (10 s).</li>
 *   <li>webhook: method (default POST), headers, body; 2xx is success; output is the start of the answer.</li>
 * </ul>
 * A target without a timeout gets 30 s.
 */
package io.cpra.actions;
