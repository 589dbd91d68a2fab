package io.heavykv.codec;

/**
 * Reversible transforms of a block's integer bit patterns (token-major, {@code width} bits per value,
 * held zero-extended in ints) that predict each value from the same channel of the previous token.
 * All arithmetic is modulo 2^width on bit patterns, never on floats, so NaN payloads, -0 and subnormals
 * survive. Encoding walks backwards and decoding forwards so both work in place.
 */
enum Predictor {
    /** Values as they are. */
    NONE {
        @Override void encode(int[] v, int n, int channels, int width) {}

        @Override void decode(int[] v, int n, int channels, int width) {}
    },

    /**
     * Zigzag difference of order-preserving patterns: sign-magnitude bits are mapped so that numeric
     * order becomes two's-complement order, which keeps a small step across zero a small residual.
     */
    DELTA {
        @Override void encode(int[] v, int n, int channels, int width) {
            int shift = 32 - width;
            int mask = mask(width);
            for (int i = n - 1; i >= channels; i--) {
                v[i] = zigzag(ordered(v[i], shift) - ordered(v[i - channels], shift), shift) & mask;
            }
            for (int i = Math.min(channels, n) - 1; i >= 0; i--) {
                v[i] = zigzag(ordered(v[i], shift), shift) & mask;
            }
        }

        @Override void decode(int[] v, int n, int channels, int width) {
            int shift = 32 - width;
            int mask = mask(width);
            int first = Math.min(channels, n);
            for (int i = 0; i < first; i++) {
                v[i] = ordered(unzigzag(v[i]) & mask, shift);
            }
            for (int i = channels; i < n; i++) {
                v[i] = ordered((unzigzag(v[i]) + ordered(v[i - channels], shift)) & mask, shift);
            }
        }
    },

    /** XOR with the previous token: equal sign/exponent bits cancel to zero. */
    XOR {
        @Override void encode(int[] v, int n, int channels, int width) {
            for (int i = n - 1; i >= channels; i--) v[i] ^= v[i - channels];
        }

        @Override void decode(int[] v, int n, int channels, int width) {
            for (int i = channels; i < n; i++) v[i] ^= v[i - channels];
        }
    };

    abstract void encode(int[] v, int n, int channels, int width);

    abstract void decode(int[] v, int n, int channels, int width);

    static int mask(int width) { return width == 32 ? -1 : (1 << width) - 1; }

    /**
     * Flips the magnitude bits of negative values; an involution on {@code width}-bit patterns that turns
     * sign-magnitude order into two's-complement order (-0 sits just below +0).
     */
    static int ordered(int bits, int shift) {
        int sign = (bits << shift) >> 31;
        return bits ^ (sign & (-1 >>> (shift + 1)));
    }

    /** Sign-extends a width-bit difference and interleaves signs: 0, -1, 1, -2 ... become 0, 1, 2, 3 ... */
    private static int zigzag(int diff, int shift) {
        int d = (diff << shift) >> shift;
        return (d << 1) ^ (d >> 31);
    }

    private static int unzigzag(int z) { return (z >>> 1) ^ -(z & 1); }
}
