package io.cpra.checks.conditions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Compiles {@code pulse_check.conditions} once, at load time; checks then evaluate without parsing. */
public final class Conditions {

    /** Either a compiled set (no errors) or the errors of every malformed expression. */
    public record Parsed(ConditionSet conditions, List<ConditionError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private Conditions() {}

    public static Parsed parse(List<String> expressions) {
        List<Condition> compiled = new ArrayList<>(expressions.size());
        List<ConditionError> errors = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            try {
                compiled.add(Syntax.parse(expressions.get(i)));
            } catch (Syntax.Fault f) {
                errors.add(new ConditionError(i, f.offset + 1, f.getMessage()));
            }
        }
        return errors.isEmpty() ? new Parsed(compiled.isEmpty() ? ConditionSet.NONE : new ConditionSet(compiled), List.of())
                : new Parsed(null, List.copyOf(errors));
    }

    /** The loader's check of one expression: its error (index 0), or empty when it compiles. */
    public static Optional<ConditionError> validate(String expression) {
        try {
            Syntax.parse(expression);
            return Optional.empty();
        } catch (Syntax.Fault f) {
            return Optional.of(new ConditionError(0, f.offset + 1, f.getMessage()));
        }
    }

    /** For probes: the compiled set, or IllegalArgumentException naming the first bad expression. */
    public static ConditionSet compile(List<String> expressions) {
        Parsed parsed = parse(expressions);
        if (parsed.ok()) return parsed.conditions();
        ConditionError e = parsed.errors().getFirst();
        throw new IllegalArgumentException("invalid condition '" + expressions.get(e.index()) + "' at column "
                + e.column() + ": " + e.message());
    }
}
