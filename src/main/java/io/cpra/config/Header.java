package io.cpra.config;

/** One HTTP header, split from the {@code "Name: value"} form of monitor files. */
public record Header(String name, String value) {
    /** Header names whose values are secrets and are masked in logs and errors. */
    public boolean isSensitive() {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.equals("authorization") || n.equals("proxy-authorization") || n.equals("cookie")
                || n.contains("token") || n.contains("secret") || n.contains("api-key") || n.contains("apikey");
    }
}
