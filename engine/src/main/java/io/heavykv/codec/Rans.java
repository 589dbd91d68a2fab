package io.heavykv.codec;

/**
 * Range asymmetric numeral system coding (after Duda's rANS as popularised by ryg_rans) of the FP16 values
 * of {@link ContextModelCodec} rows: per value two symbols, its sign and exponent and then its top two
 * mantissa bits, with a {@link ContextModel}'s static frequencies of {@link #PRECISION} bits, followed by
 * its low byte taken as it is. Value {@code c} of a row goes on lane {@code c mod LANES}: the
 * {@link #LANES} states are independent dependency chains, which the processor overlaps.
 *
 * <p>A state lies in [{@link #LOW}, {@code LOW << 32}) and is renormalised once per value, by a whole
 * 32-bit word: the value's two symbols shrink a state by at most {@code 2 * PRECISION} bits, and
 * {@code LOW} is a multiple of {@code TOTAL * TOTAL}, so the pair behaves as one symbol of frequency
 * {@code f1 * f2} out of {@code TOTAL * TOTAL} for renormalisation and one word in or out always
 * suffices. That halves the renormalisation work of coding the two symbols one by one, and no loop or
 * unpredictable branch remains. The encoder runs backwards over the values and writes downwards; it ends
 * by writing each lane's state in {@link #STATE_BYTES} bytes, which the decoder reads first. Each lane
 * starts at {@code LOW}, and the decoder must end there having consumed exactly the stream: a cheap
 * integrity check.
 */
final class Rans {
    static final int PRECISION = 12;
    static final int TOTAL = 1 << PRECISION;
    static final int LANES = 2;
    static final int STATE_BYTES = 7;
    static final long LOW = 1L << 2 * PRECISION;
    /** Bytes a renormalisation moves. */
    static final int WORD_BYTES = 4;

    /** Bytes a stream takes besides its renormalisation words. */
    static final int FLUSH_BYTES = LANES * STATE_BYTES;

    private Rans() {}

    /** The state after coding a symbol of frequency {@code freq} starting at {@code start} onto {@code s}. */
    private static long encodeStep(long s, int freq, int start) {
        long q = s / freq;
        return (q << PRECISION) + (s - q * freq) + start;
    }

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
            FrequencyTable mantissa = model.mantissa;
            long[] x = this.x;
            byte[] buf = this.buf;
            int pos = this.pos;
            for (int c = channels - 1; c >= 0; c--) {
                int lane = c & (LANES - 1);
                int v = LittleEndian.getShort(src, row + 2 * c);
                int high = v >>> 10;
                int low = v >>> 8 & 3;
                int highBase = model.signExponentBase(c);
                int lowBase = model.mantissaBase(c, high);
                int highFreq = signExponent.freq(highBase, high);
                int lowFreq = mantissa.freq(lowBase, low);
                long s = x[lane];
                // Branch-free: whether a word goes out is close to a coin toss when the model fits badly.
                // The word is written whether it goes out or not; what lies below pos is free room.
                int out = s >= (LOW >>> 2 * PRECISION << 32) * highFreq * lowFreq ? 1 : 0;
                LittleEndian.putInt(buf, pos - WORD_BYTES, (int) s);
                pos -= out * WORD_BYTES;
                s >>>= out << 5;
                s = encodeStep(s, lowFreq, mantissa.start(lowBase, low));
                x[lane] = encodeStep(s, highFreq, signExponent.start(highBase, high));
            }
            this.pos = pos;
        }

        /** Writes the final states; returns the position of the first byte of the stream. */
        int finish() {
            for (int lane = LANES - 1; lane >= 0; lane--) {
                pos -= STATE_BYTES;
                long s = x[lane];
                LittleEndian.putInt(buf, pos, (int) s);
                LittleEndian.putShort(buf, pos + 4, (int) (s >>> 32));
                buf[pos + 6] = (byte) (s >>> 48);
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
                long s = Integer.toUnsignedLong(LittleEndian.getInt(buf, pos)) | (long) LittleEndian.getShort(buf, pos + 4) << 32
                        | (long) (buf[pos + 6] & 0xFF) << 48;
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
            FrequencyTable mantissa = model.mantissa;
            long[] x = this.x;
            byte[] buf = this.buf;
            int pos = this.pos;
            int lastWord = this.lastWord;
            for (int c = 0; c < channels; c++) {
                int lane = c & (LANES - 1);
                long s = x[lane];
                int highBase = model.signExponentBase(c);
                int slot = (int) s & (TOTAL - 1);
                int high = signExponent.find(highBase, slot);
                s = signExponent.freq(highBase, high) * (s >>> PRECISION) + slot - signExponent.start(highBase, high);
                int lowBase = model.mantissaBase(c, high);
                slot = (int) s & (TOTAL - 1);
                int low = mantissa.findOfFour(lowBase, slot);
                s = mantissa.freq(lowBase, low) * (s >>> PRECISION) + slot - mantissa.start(lowBase, low);
                // Branch-free, as in the encoder; the word is read whether it is needed or not.
                int in = (int) ((s - LOW) >>> 63);
                long word = Integer.toUnsignedLong(LittleEndian.getInt(buf, Math.min(pos, lastWord)));
                x[lane] = s << (in << 5) | word & -in;
                pos += in * WORD_BYTES;
                LittleEndian.putShort(dst, row + 2 * c, high << 10 | low << 8 | lows[lowAt + c] & 0xFF);
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
