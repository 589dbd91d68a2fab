package io.heavykv.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The 12 bytes of 6-bit scales and mins of a Q4_K/Q5_K super-block, eight of each. Sub-blocks 0..3 keep
 * theirs in the low 6 bits of bytes 0..3 (scale) and 4..7 (min); sub-blocks 4..7 keep their low 4 bits in
 * the nibbles of bytes 8..11 (scale low, min high) and their top 2 bits in the spare top bits of bytes 0..7.
 */
final class KScales {
    static final int BYTES = 12;
    static final int SUB_BLOCKS = 8;
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The low 6 bits of each of four bytes, and the top 2 bits of each moved down to the bottom. */
    private static final long LOW6 = 0x3f3f3f3fL;
    private static final long TOP2 = 0x03030303L;

    private KScales() {
    }

    /**
     * The eight 6-bit scales from the scale bytes at {@code o}, one per byte of the result (sub-block j in byte
     * j). Two loads and a few masks per super-block instead of byte reads and branches per sub-block, which
     * measured ~2x on the whole Q4_K matvec.
     */
    static long scales(MemorySegment seg, long o) {
        long lo = seg.get(LONG_LE, o);
        long hi = seg.get(INT_LE, o + 8) & 0xffffffffL;
        long first = lo & LOW6;
        long last = (hi & 0x0f0f0f0fL) | ((lo >>> 6) & TOP2) << 4;
        return first | last << 32;
    }

    /** The eight 6-bit mins from the scale bytes at {@code o}, packed like {@link #scales}. */
    static long mins(MemorySegment seg, long o) {
        long lo = seg.get(LONG_LE, o);
        long hi = seg.get(INT_LE, o + 8) & 0xffffffffL;
        long first = (lo >>> 32) & LOW6;
        long last = ((hi >>> 4) & 0x0f0f0f0fL) | ((lo >>> 38) & TOP2) << 4;
        return first | last << 32;
    }

    /** Sub-block {@code j}'s value from a word packed by {@link #scales} or {@link #mins}. */
    static int of(long packed, int j) {
        return (int) (packed >>> (8 * j)) & 0xff;
    }

    /** Writes scales and mins (each 0..63) of the eight sub-blocks as the scale bytes at {@code o}. */
    static void pack(int[] scales, int[] mins, MemorySegment seg, long o) {
        byte[] b = new byte[BYTES];
        for (int j = 0; j < SUB_BLOCKS; j++) {
            int sc = scales[j];
            int m = mins[j];
            if (j < 4) {
                b[j] |= (byte) sc;
                b[j + 4] |= (byte) m;
            } else {
                b[j + 4] = (byte) ((sc & 0x0f) | ((m & 0x0f) << 4));
                b[j - 4] |= (byte) ((sc >>> 4) << 6);
                b[j] |= (byte) ((m >>> 4) << 6);
            }
        }
        MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, o, BYTES);
    }
}
