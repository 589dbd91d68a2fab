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

    /**
     * Scatters token-major values {@code v} into planes in the given layout, in one sequential pass over
     * {@code v} (the channel-major writes stride by {@code tokens} bytes, which stays cache-friendly).
     */
    static void split(int[] v, int tokens, int channels, int width, PlaneLayout layout, byte[] planes) {
        int n = tokens * channels;
        boolean cm = layout == PlaneLayout.CHANNEL_MAJOR;
        for (int t = 0, i = 0; t < tokens; t++) {
            for (int c = 0; c < channels; c++, i++) {
                int j = cm ? c * tokens + t : i;
                int x = v[i];
                if (width == 2) {
                    planes[j] = (byte) (x >>> 8);
                    planes[n + j] = (byte) x;
                } else {
                    planes[j] = (byte) (x >>> 24);
                    planes[n + j] = (byte) (x >>> 16);
                    planes[2 * n + j] = (byte) (x >>> 8);
                    planes[3 * n + j] = (byte) x;
                }
            }
        }
    }

    /** Inverse of {@link #split}: rebuilds token-major values from planes. */
    static void merge(byte[] planes, int tokens, int channels, int width, PlaneLayout layout, int[] v) {
        int n = tokens * channels;
        boolean cm = layout == PlaneLayout.CHANNEL_MAJOR;
        for (int t = 0, i = 0; t < tokens; t++) {
            for (int c = 0; c < channels; c++, i++) {
                int j = cm ? c * tokens + t : i;
                v[i] = width == 2
                        ? (planes[j] & 0xFF) << 8 | planes[n + j] & 0xFF
                        : (planes[j] & 0xFF) << 24 | (planes[n + j] & 0xFF) << 16 | (planes[2 * n + j] & 0xFF) << 8 | planes[3 * n + j] & 0xFF;
            }
        }
    }
}
