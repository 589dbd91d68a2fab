package io.heavykv.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process memory as the operating system sees it. The JVM heap alone would miss the memory-mapped
 * weights and off-heap buffers, so peak resident set size (Linux VmHWM) is the figure we report;
 * where /proc is absent it falls back to heap usage and says so through {@link #source()}.
 */
public final class MemoryProbe {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

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

    /**
     * Peak heap use since the last {@link #resetPeaks}: the sum of the heap pools' peaks. The pools may peak
     * at different moments, so this bounds the true peak from above; it is what the JVM lets us see cheaply.
     */
    public static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    /**
     * Starts new peaks, so that each run of a benchmark reports its own: the heap pools' peaks, and the peak
     * RSS through Linux's {@code clear_refs} (value 5 resets VmHWM to the current RSS). Returns false when the
     * OS peak could not be reset, in which case {@link #peakResidentBytes} stays the process's peak so far.
     */
    public static boolean resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) pool.resetPeakUsage();
        }
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
