package io.heavykv.codec;

/**
 * Range asymmetric numeral system coding (after Duda's rANS as popularised by ryg_rans) of the FP16 values
 * of {@link ContextModelCodec} rows: per value its sign and exponent as a symbol of a {@link ContextModel}'s
 * static frequencies of {@link #PRECISION} bits, then its top two mantissa bits as they are, which to rANS
 * is a symbol of four equally likely ones: two bits shifted into the state. (Modelling those bits in the
 * context of the exponent saves about 0.07 bits of a value's twelve on real KV but costs a second coding
 * step, half the decoding time.) The low byte is the caller's to store. Value {@code c} of a row goes on
 * lane {@code c mod LANES}, so consecutive values are independent dependency chains.
 *
 * <p>A state lies in [{@link #LOW}, {@code LOW << 16}) and is renormalised a 16-bit word at a time, once
 * per value: the value's symbol and raw bits shrink a state by at most {@code PRECISION + 2} bits, and
 * {@code LOW} is a multiple of {@code TOTAL << 2}, so one word in or out always suffices and no loop or
 * unpredictable branch remains. The encoder runs backwards over the values and writes downwards; it ends by
 * writing each lane's state in {@link #STATE_BYTES} bytes, which the decoder reads first. Each lane starts
 * at {@code LOW}, and the decoder must end there having consumed exactly the stream: a cheap integrity check.
 */
final class Rans {
    static final int PRECISION = 12;
    static final int TOTAL = 1 << PRECISION;
    /** Two lanes decode as fast as eight (the loop is bound by its instructions, not by latency) and flush less. */
    static final int LANES = 2;
    static final int STATE_BYTES = 4;
    /** Bits of each value that go into the state as they are. */
    static final int RAW_BITS = 2;
    static final long LOW = 1L << 16;
    /** Bytes a renormalisation moves. */
    static final int WORD_BYTES = 2;

    /** Bytes a stream takes besides its renormalisation words. */
    static final int FLUSH_BYTES = LANES * STATE_BYTES;

    private Rans() {}

    /** Encoder states plus the write position, which moves down from the end of the buffer. */
    static final class Encoder {
        private final long[] x = new long[LANES];
        private byte[] buf;
        private int pos;

        /** Starts writing downwards from {@code end} of {@code buf}. */
        void reset(byte[] buf, int end) {
            this.buf = buf;
            this.pos = end;
            java.util.Arrays.fill(x, LOW);
        }

        /**
         * Codes the sign-and-exponent and top mantissa bits of the {@code channels} values at {@code src[row]}
         * with {@code model}, for {@link Decoder#decodeRow}. Rows go in backwards, as everything in rANS; the
         * low bytes are the caller's to store.
         */
        void encodeRow(ContextModel model, byte[] src, int row, int channels) {
            FrequencyTable signExponent = model.signExponent;
            long[] x = this.x;
            byte[] buf = this.buf;
            int pos = this.pos;
            for (int c = channels - 1; c >= 0; c--) {
                int lane = c & (LANES - 1);
                int v = LittleEndian.getShort(src, row + 2 * c);
                int high = v >>> 10;
                int base = model.signExponentBase(c);
                int freq = signExponent.freq(base, high);
                long s = x[lane];
                // Branch-free: whether a word goes out is close to a coin toss when the model fits badly.
                // The word is written whether it goes out or not; what lies below pos is free room.
                int out = s >= (LOW >>> PRECISION + RAW_BITS << 16) * freq ? 1 : 0;
                LittleEndian.putShort(buf, pos - WORD_BYTES, (int) s);
                pos -= out * WORD_BYTES;
                s >>>= out << 4;
                s = s << RAW_BITS | v >>> 8 & (1 << RAW_BITS) - 1;
                long q = s / freq;
                x[lane] = (q << PRECISION) + (s - q * freq) + signExponent.start(base, high);
            }
            this.pos = pos;
        }

        /** Writes the final states; returns the position of the first byte of the stream. */
        int finish() {
            for (int lane = LANES - 1; lane >= 0; lane--) {
                pos -= STATE_BYTES;
                LittleEndian.putInt(buf, pos, (int) x[lane]);
            }
            return pos;
        }
    }

    /**
     * Decoder over {@code buf[pos, end)}. Reads never leave that range: a word past its end is read from
     * the last word instead, and the overrun is reported by {@link #overrun} and {@link #finish}, so the hot
     * path has no throw. Whatever the bytes, a state stays in its range: decoding only shrinks it, and a
     * word goes in only below {@code LOW}.
     */
    static final class Decoder {
        private final long[] x = new long[LANES];
        private byte[] buf;
        private int pos;
        private int end;
        private int lastWord;

        void reset(byte[] buf, int pos, int end) {
            if (end - pos < FLUSH_BYTES) {
                throw new CorruptFrameException("truncated: rANS stream at offset " + pos + " has " + (end - pos) + " bytes, needs at least " + FLUSH_BYTES);
            }
            for (int lane = 0; lane < LANES; lane++, pos += STATE_BYTES) {
                long s = Integer.toUnsignedLong(LittleEndian.getInt(buf, pos));
                if (s < LOW) throw new CorruptFrameException("rANS state " + s + " at offset " + pos + " below " + LOW);
                x[lane] = s;
            }
            this.buf = buf;
            this.pos = pos;
            this.end = end;
            this.lastWord = end - WORD_BYTES;
        }

        /**
         * Decodes a row that {@link Encoder#encodeRow} coded into the {@code channels} FP16 values at
         * {@code dst[row]}, value {@code c} taking its low byte from {@code lows[lowAt + c]}.
         */
        void decodeRow(ContextModel model, byte[] lows, int lowAt, byte[] dst, int row, int channels) {
            FrequencyTable signExponent = model.signExponent;
            long[] x = this.x;
            byte[] buf = this.buf;
            int pos = this.pos;
            int lastWord = this.lastWord;
            for (int c = 0; c < channels; c++) {
                int lane = c & (LANES - 1);
                long s = x[lane];
                int base = model.signExponentBase(c);
                int slot = (int) s & (TOTAL - 1);
                int high = signExponent.find(base, slot);
                s = signExponent.freq(base, high) * (s >>> PRECISION) + slot - signExponent.start(base, high);
                int value = high << 10 | ((int) s & (1 << RAW_BITS) - 1) << 8 | lows[lowAt + c] & 0xFF;
                s >>>= RAW_BITS;
                // Branch-free, as in the encoder; the word is read whether it is needed or not.
                int in = (int) ((s - LOW) >>> 63);
                long word = LittleEndian.getShort(buf, Math.min(pos, lastWord));
                x[lane] = s << (in << 4) | word & -in;
                pos += in * WORD_BYTES;
                LittleEndian.putShort(dst, row + 2 * c, value);
            }
            this.pos = pos;
        }

        /** Whether the decoder has read past the end of its stream (what it decoded since is garbage). */
        boolean overrun() { return pos > end; }

        /** @throws CorruptFrameException unless the stream ended exactly where the encoder started */
        void finish() {
            boolean atStart = true;
            for (long s : x) atStart &= s == LOW;
            if (pos != end || !atStart) {
                throw new CorruptFrameException("rANS stream ends at offset " + pos + " in states " + java.util.Arrays.toString(x)
                        + ", expected offset " + end + " in state " + LOW + " on every lane");
            }
        }
    }
}
