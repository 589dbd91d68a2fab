package io.heavykv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names the machine a figure was measured on. Speed baselines are only comparable on the same CPU with the
 * same core count, so history files key on this.
 */
public final class Machine {
    private static final String KEY = cpuModel() + " x" + Runtime.getRuntime().availableProcessors();

    private Machine() {
    }

    /** For example {@code "Intel(R) Xeon(R) Processor x2"}. */
    public static String key() { return KEY; }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: fall through to the JVM's description of the architecture.
        }
        return System.getProperty("os.arch", "unknown-cpu");
    }
}
