package io.heavykv.codec;

/**
 * Conversions between a block's little-endian bytes, its integer bit patterns and its byte planes.
 * Plane {@code p} of a {@code width}-byte value holds byte {@code width-1-p}, so plane 0 is always the
 * high byte (sign and exponent). Planes of {@code n} values lie back to back: plane p at {@code p * n}.
 */
final class BytePlanes {
    private BytePlanes() {}

    static void readValues(byte[] src, int off, int n, int width, int[] v) {
        if (width == 2) {
            for (int i = 0; i < n; i++) v[i] = LittleEndian.getShort(src, off + 2 * i);
        } else {
            for (int i = 0; i < n; i++) v[i] = LittleEndian.getInt(src, off + 4 * i);
        }
    }

    static void writeValues(int[] v, int n, int width, byte[] dst, int off) {
        if (width == 2) {
            for (int i = 0; i < n; i++) LittleEndian.putShort(dst, off + 2 * i, v[i]);
        } else {
            for (int i = 0; i < n; i++) LittleEndian.putInt(dst, off + 4 * i, v[i]);
        }
    }

    /** Scatters token-major values {@code v} into planes in the given layout. */
    static void split(int[] v, int tokens, int channels, int width, PlaneLayout layout, byte[] planes) {
        int n = tokens * channels;
        for (int p = 0; p < width; p++) {
            int shift = 8 * (width - 1 - p);
            int base = p * n;
            if (layout == PlaneLayout.TOKEN_MAJOR) {
                for (int i = 0; i < n; i++) planes[base + i] = (byte) (v[i] >>> shift);
            } else {
                for (int c = 0; c < channels; c++) {
                    int out = base + c * tokens;
                    for (int t = 0, i = c; t < tokens; t++, i += channels) planes[out + t] = (byte) (v[i] >>> shift);
                }
            }
        }
    }

    /** Inverse of {@link #split}: rebuilds token-major values from planes. */
    static void merge(byte[] planes, int tokens, int channels, int width, PlaneLayout layout, int[] v) {
        int n = tokens * channels;
        java.util.Arrays.fill(v, 0, n, 0);
        for (int p = 0; p < width; p++) {
            int shift = 8 * (width - 1 - p);
            int base = p * n;
            if (layout == PlaneLayout.TOKEN_MAJOR) {
                for (int i = 0; i < n; i++) v[i] |= (planes[base + i] & 0xFF) << shift;
            } else {
                for (int c = 0; c < channels; c++) {
                    int in = base + c * tokens;
                    for (int t = 0, i = c; t < tokens; t++, i += channels) v[i] |= (planes[in + t] & 0xFF) << shift;
                }
            }
        }
    }
}
