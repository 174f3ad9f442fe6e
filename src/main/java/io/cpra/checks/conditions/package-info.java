/**
 * {@code pulse_check.conditions}, Gatus syntax: {@code [STATUS] == 200}, {@code [RESPONSE_TIME] < 300} (ms, or a
 * duration), {@code [BODY].items[0].id == 5} (JSON path: dotted keys, {@code [n]} indexes),
 * {@code [BODY] == pat(*ok*)} (glob: {@code *}, {@code ?}), {@code len([BODY].items) > 0},
 * {@code [CERTIFICATE_EXPIRATION] > 48h}, {@code [CONNECTED] == true}, {@code [DNS_RCODE] == NOERROR},
 * {@code [STATUS] == any(200, 204)}; operators {@code == != < <= > >=}.
 *
 * <p>The loader validates each expression with {@link io.cpra.checks.conditions.Conditions#validate} (errors carry
 * a 1-based column); probes compile the list once with {@link io.cpra.checks.conditions.Conditions#compile} and
 * evaluate the {@link io.cpra.checks.conditions.ConditionSet} against a per-check
 * {@link io.cpra.checks.conditions.ResultView}.
 */
package io.cpra.checks.conditions;
