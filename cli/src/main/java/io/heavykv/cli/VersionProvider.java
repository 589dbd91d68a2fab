package io.heavykv.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
                "heavykv " + (version == null ? "(development build)" : version),
                "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        };
    }
}
