package io.cpra.config;

import java.util.List;

/**
 * What happens when a monitor raises one colour.
 *
 * @param dispatch    false: the state change happens, nothing is sent
 * @param groups      v0.5 {@code groups} on a colour, kept for grouping
 * @param repeatNanos {@code repeat}: re-send while the incident stays open (red only), 0 = never
 */
public record CodeSpec(Colour colour, NotifierType notifier, boolean dispatch, NotifyConfig config,
                       List<String> groups, long repeatNanos) {}
