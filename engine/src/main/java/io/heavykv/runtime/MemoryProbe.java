package io.heavykv.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process memory as the operating system sees it. The JVM heap alone would miss the memory-mapped
 * weights and off-heap buffers, so peak resident set size (Linux VmHWM) is the figure we report;
 * where /proc is absent it falls back to heap usage and says so through {@link #source()}.
 */
public final class MemoryProbe {
    private static final Path STATUS = Path.of("/proc/self/status");

    private MemoryProbe() {
    }

    /** Peak resident set size in bytes since the process started. */
    public static long peakResidentBytes() {
        long kb = statusKilobytes("VmHWM:");
        return kb >= 0 ? kb * 1024 : heapUsedBytes();
    }

    /** Current resident set size in bytes. */
    public static long residentBytes() {
        long kb = statusKilobytes("VmRSS:");
        return kb >= 0 ? kb * 1024 : heapUsedBytes();
    }

    public static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** "rss" when figures come from the OS, "heap" when only the JVM heap could be measured. */
    public static String source() {
        return statusKilobytes("VmRSS:") >= 0 ? "rss" : "heap";
    }

    private static long statusKilobytes(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
