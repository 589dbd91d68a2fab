package io.heavykv.cli;

/** The --kv-budget-mb option of stress and throughput, read one way for both: MB of 10^6 bytes. */
final class KvBudget {
    /** A petabyte: no budget a run could reach, and far from overflowing a byte count. */
    private static final double MAX_MB = 1e9;

    private KvBudget() {
    }

    /**
     * The budget in bytes; 0 only when {@code zeroMeansNone} and {@code mb} is 0.
     *
     * @throws IllegalArgumentException for a value that is not a number, negative, under one byte, or absurdly large
     */
    static long bytes(double mb, boolean zeroMeansNone) {
        if (mb == 0 && zeroMeansNone) return 0;
        if (!Double.isFinite(mb) || mb <= 0 || mb > MAX_MB) {
            throw new IllegalArgumentException("--kv-budget-mb must be a number of MB in (0, " + (long) MAX_MB + "]"
                    + (zeroMeansNone ? " or 0 for no limit" : "") + ", got " + mb);
        }
        long bytes = Math.round(mb * 1e6);
        if (bytes < 1) throw new IllegalArgumentException("--kv-budget-mb " + mb + " is less than one byte");
        return bytes;
    }
}
