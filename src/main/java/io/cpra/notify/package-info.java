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
 *   <li>Email is not built yet: {@link io.cpra.notify.Notifiers#supported()} leaves it out.</li>
 * </ul>
 */
package io.cpra.notify;
