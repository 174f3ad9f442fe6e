package io.cpra.config;

/** "Did you mean" suggestions for unknown names: closest known name by Damerau-Levenshtein distance. */
final class Spelling {

    private Spelling() {}

    static String unknownField(String name, String[] known) {
        return suggest("unknown field " + name, name, known);
    }

    static String suggest(String message, String name, String[] known) {
        String best = closest(name, known);
        return best == null ? message : message + "; did you mean " + best + "?";
    }

    /**
     * @return the closest of {@code known} within a third of the name's length (at least 2 edits), else one
     *         the name abbreviates (such as {@code pager} for {@code pagerduty}), or null
     */
    static String closest(String name, String[] known) {
        String best = null;
        int bestDistance = Math.max(2, name.length() / 3) + 1;
        for (String candidate : known) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        if (best == null && name.length() >= 3) {
            for (String candidate : known) if (candidate.startsWith(name)) return candidate;
        }
        return best;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        if (a.length() > 64 || b.length() > 64) return Integer.MAX_VALUE / 2; // no typo is that long
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
