package io.cpra.checks.conditions;

/**
 * A malformed condition expression.
 *
 * @param index   position of the expression in {@code pulse_check.conditions}, 0-based
 * @param column  1-based position of the fault within the expression string
 * @param message what is wrong, for the user
 */
public record ConditionError(int index, int column, String message) {}
