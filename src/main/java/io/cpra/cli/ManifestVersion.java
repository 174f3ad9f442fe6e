package io.cpra.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code Implementation-Version} of the jar manifest; "dev" when run from classes (IDE, tests). */
public final class ManifestVersion implements IVersionProvider {

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"cpra " + version()};
    }
}
