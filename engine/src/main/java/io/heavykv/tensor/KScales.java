package io.heavykv.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The 12 bytes of 6-bit scales and mins of a Q4_K/Q5_K super-block, eight of each. Sub-blocks 0..3 keep
 * theirs in the low 6 bits of bytes 0..3 (scale) and 4..7 (min); sub-blocks 4..7 keep their low 4 bits in
 * the nibbles of bytes 8..11 (scale low, min high) and their top 2 bits in the spare top bits of bytes 0..7.
 */
final class KScales {
    static final int BYTES = 12;
    static final int SUB_BLOCKS = 8;

    private KScales() {
    }

    /** Scale of sub-block {@code j} from the scale bytes at {@code o}. */
    static int scale(MemorySegment seg, long o, int j) {
        if (j < 4) return u8(seg, o + j) & 63;
        return (u8(seg, o + j + 4) & 0x0f) | ((u8(seg, o + j - 4) >>> 6) << 4);
    }

    /** Min of sub-block {@code j} from the scale bytes at {@code o}. */
    static int min(MemorySegment seg, long o, int j) {
        if (j < 4) return u8(seg, o + j + 4) & 63;
        return (u8(seg, o + j + 4) >>> 4) | ((u8(seg, o + j) >>> 6) << 4);
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

    private static int u8(MemorySegment seg, long o) {
        return seg.get(ValueLayout.JAVA_BYTE, o) & 0xff;
    }
}
