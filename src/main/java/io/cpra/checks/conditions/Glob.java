package io.cpra.checks.conditions;

/** A {@code pat(...)} pattern: {@code *} matches any run of characters, {@code ?} one character. */
final class Glob {

    private final String pattern;

    Glob(String pattern) {
        this.pattern = pattern;
    }

    /** Greedy match with one backtrack point: linear in practice, never exponential. */
    boolean matches(String s) {
        int p = 0, i = 0, star = -1, mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == s.charAt(i))) {
                p++;
                i++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }
}
