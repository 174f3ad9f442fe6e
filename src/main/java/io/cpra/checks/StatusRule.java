package io.cpra.checks;

import java.util.List;
import java.util.stream.Collectors;

/** Which HTTP statuses pass: the configured list, or any 2xx when it is empty. */
final class StatusRule {

    private static final StatusRule ANY_2XX = new StatusRule(List.of());

    private final int[] accepted;
    private final String suffix;

    static StatusRule of(List<Integer> expected) {
        return expected.isEmpty() ? ANY_2XX : new StatusRule(expected);
    }

    private StatusRule(List<Integer> expected) {
        accepted = expected.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
        suffix = accepted.length == 0 ? " not 2xx"
                : expected.stream().map(String::valueOf).collect(Collectors.joining(", ", " not in [", "]"));
    }

    boolean accepts(int status) {
        if (accepted.length == 0) return status >= 200 && status < 300;
        for (int s : accepted) if (s == status) return true;
        return false;
    }

    String failure(int status) {
        return "status " + status + suffix;
    }
}
