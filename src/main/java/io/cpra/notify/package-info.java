/**
 * Alert delivery ("code"): {@link io.cpra.notify.AlertDispatcher} takes alerts from the engine and hands
 * them to one {@link io.cpra.notify.Notifier} per destination, made by {@link io.cpra.notify.Notifiers}.
 *
 * <p>Decisions a reader of alerts can rely on:
 * <ul>
 *   <li>Log lines and webhook bodies carry the same fields in the same order: {@code timestamp} (UTC,
 *       milliseconds always shown), {@code type} ("code"), {@code monitor}, {@code job_id}, {@code color},
 *       {@code status}, {@code severity}, {@code summary}, {@code action}, {@code next_steps},
 *       {@code message}, {@code incident_id}, {@code error}. Every field is always present; {@code action},
 *       {@code incident_id} and {@code error} are null where they do not apply.</li>
 *   <li>PagerDuty receives red as {@code trigger} and green as {@code resolve}, with the incident id (or the
 *       monitor name without one) as {@code dedup_key}; yellow, cyan and gray sent to PagerDuty are skipped
 *       and count as sent.</li>
 *   <li>Secrets (URL paths and queries, routing keys, sensitive header values) never appear in logs: errors
 *       name the notifier and the status, destinations are shown as scheme://host:port, and every error text
 *       is masked against the destination's secrets before it is logged.</li>
 *   <li>Email is one plain-text mail per alert over SMTP (Angus Mail), subject {@code [CPRA] RED checkout-api
 *       FAILED}, body one {@code field: value} line per log-line field that applies; connect, each read and
 *       each write are bounded; {@code starttls: true} requires the upgrade (and checks the certificate).</li>
 *   <li>Each destination has a circuit breaker: after {@link io.cpra.notify.DeliveryPolicy#breakerFailures()}
 *       failures in a row its alerts are held (counted as deferred), then probed one at a time with the
 *       retry back-off; failures while it is open do not use up an alert's attempts, so a dead receiver
 *       delays alerts but never drops them. Only an alert that fails against a working destination, or that
 *       the destination rejects (4xx), is given up.</li>
 * </ul>
 */
package io.cpra.notify;
