package io.cpra.notify;

import io.cpra.config.CodeSpec;
import io.cpra.config.Colour;

/**
 * One raised colour of one monitor, as handed from the engine to delivery. Alerts are rare next to
 * checks, so one object per alert is fine.
 *
 * @param sequence   per-monitor, increasing: delivery keeps this order per monitor
 * @param jobId      the check or intervention run that raised it
 * @param incidentId the open incident, or null
 * @param error      the last check or intervention error, or null
 * @param action     the monitor's intervention action key (docker, script, webhook), or null
 */
public record Alert(String monitor, long sequence, Colour colour, CodeSpec code, long jobId,
                    String incidentId, String error, String action, long epochMillis) {}
