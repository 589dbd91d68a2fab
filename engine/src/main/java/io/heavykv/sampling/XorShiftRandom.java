package io.heavykv.sampling;

/**
 * llama2.c's xorshift* generator, so a seed gives the same random stream as the reference implementation and
 * samples can be compared token for token.
 */
final class XorShiftRandom {
    private long state;

    XorShiftRandom(long seed) {
        // xorshift maps state 0 to itself: every draw would be 0 and sampling would silently be argmax-like.
        if (seed == 0) throw new IllegalArgumentException("seed must be non-zero for xorshift sampling");
        this.state = seed;
    }

    /** Uniform in [0, 1), 24 random bits. */
    float nextFloat() {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        long u32 = (state * 0x2545F4914F6CDD1DL) >>> 32;
        return (u32 >>> 8) / 16777216.0f;
    }
}
