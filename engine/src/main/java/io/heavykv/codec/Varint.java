package io.heavykv.codec;

/** Unsigned LEB128 integers (7 bits a byte, high bit: more follows), at most 5 bytes for an int. */
final class Varint {
    private static final int MAX_BYTES = 5;

    private Varint() {}

    /** Writes {@code value} (>= 0) at {@code pos}; returns the position after it. */
    static int put(byte[] a, int pos, int value) {
        while ((value & ~0x7F) != 0) {
            a[pos++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        a[pos++] = (byte) value;
        return pos;
    }

    /**
     * Reads the varint at {@code pos}, which must end before {@code end}.
     *
     * @throws CorruptFrameException when it runs past {@code end} or past 5 bytes
     */
    static long get(byte[] a, int pos, int end, String field) {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (pos + i >= end) throw new CorruptFrameException("truncated: " + field + " at offset " + pos + " runs past the payload");
            int b = a[pos + i];
            value |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) return value;
        }
        throw new CorruptFrameException(field + " at offset " + pos + " is longer than " + MAX_BYTES + " bytes");
    }

    /** The position after the (already validated) varint at {@code pos}. */
    static int next(byte[] a, int pos) {
        while (a[pos] < 0) pos++;
        return pos + 1;
    }
}
