package io.cpra.checks.conditions;

import java.util.List;

/** The compiled conditions of one check; all must hold. Immutable and shared by every probe that uses it. */
public final class ConditionSet {

    public static final ConditionSet NONE = new ConditionSet(List.of());

    private final Condition[] conditions;
    private final boolean needsBody;

    ConditionSet(List<Condition> list) {
        this.conditions = list.toArray(Condition[]::new);
        boolean body = false;
        for (Condition c : conditions) body |= c.needsBody();
        this.needsBody = body;
    }

    public boolean isEmpty() {
        return conditions.length == 0;
    }

    /** Whether some condition tests {@code placeholder} (plainly or under len()). */
    public boolean mentions(Placeholder placeholder) {
        for (Condition c : conditions) if (c.subject == placeholder) return true;
        return false;
    }

    /** Whether the probe must keep the body (up to {@link ResultView#MAX_BODY_BYTES}). */
    public boolean needsBody() {
        return needsBody;
    }

    /** Null when every condition holds; else the first failure's reason, e.g. "condition [STATUS] == 200 failed: status was 503". */
    public String firstFailure(ResultView view) {
        for (Condition c : conditions) {
            String failure = c.check(view);
            if (failure != null) return failure;
        }
        return null;
    }
}
