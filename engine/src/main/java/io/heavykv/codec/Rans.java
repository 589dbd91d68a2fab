package io.heavykv.codec;

/**
 * Range asymmetric numeral system coding with static frequencies of {@link #PRECISION} bits (after Duda's
 * rANS as popularised by ryg_rans), {@link #LANES} states interleaved over one stream so a decoder works
 * on independent dependency chains at once. Symbols go in runs of one field (say, the exponents of a row),
 * consecutive symbols on consecutive lanes.
 *
 * <p>A state lies in [{@link #LOW}, {@code LOW << 16}) and is renormalised a 16-bit word at a time, so
 * a symbol reads or writes at most one word: no loop and a single well-predicted branch per symbol. The
 * lower bound keeps {@code LOW >> PRECISION} well above the largest frequency's share, so the coding loss
 * of the integer arithmetic stays negligible. The encoder runs backwards over the symbols and writes
 * downwards; it ends by writing each lane's state in {@link #STATE_BYTES} bytes, which the decoder reads
 * first. Each lane starts at {@code LOW}, and the decoder must end there having consumed exactly the
 * stream: a cheap integrity check.
 */
final class Rans {
    static final int PRECISION = 12;
    static final int TOTAL = 1 << PRECISION;
    static final int LANES = 2;
    static final int STATE_BYTES = 5;
    static final long LOW = 1L << 23;
    private static final long HIGH = LOW << 16;

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
         * Codes {@code symbols[0, n)}, symbol {@code i} with the context of {@code table} whose base is
         * {@code bases[i]}, on lane {@code i mod LANES}: one run of a field that {@link Decoder#decode}
         * reads back. Runs go in backwards, as everything in rANS.
         */
        void encode(FrequencyTable table, int[] bases, int[] symbols, int n) {
            long[] x = this.x;
            byte[] buf = this.buf;
            int pos = this.pos;
            for (int i = n - 1; i >= 0; i--) {
                int lane = i & (LANES - 1);
                int base = bases[i];
                int symbol = symbols[i];
                int freq = table.freq(base, symbol);
                long s = x[lane];
                // Branch-free: whether a word goes out is close to a coin toss when the model fits badly.
                // The word is written whether it goes out or not; what lies below pos is free room.
                int out = s >= (LOW >>> PRECISION << 16) * freq ? 1 : 0;
                LittleEndian.putShort(buf, pos - 2, (int) s);
                pos -= out << 1;
                s >>>= out << 4;
                long q = s / freq;
                x[lane] = (q << PRECISION) + (s - q * freq) + table.start(base, symbol);
            }
            this.pos = pos;
        }

        /** Writes the final states; returns the position of the first byte of the stream. */
        int finish() {
            for (int lane = LANES - 1; lane >= 0; lane--) {
                pos -= STATE_BYTES;
                LittleEndian.putInt(buf, pos, (int) x[lane]);
                buf[pos + 4] = (byte) (x[lane] >>> 32);
            }
            return pos;
        }
    }

    /**
     * Decoder over {@code buf[pos, end)}. Reads never leave that range: a word past its end is read from
     * the last word instead, and the overrun is reported by {@link #overrun} and {@link #finish}, so the hot
     * path has no throw.
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
                long s = Integer.toUnsignedLong(LittleEndian.getInt(buf, pos)) | (long) (buf[pos + 4] & 0xFF) << 32;
                if (s < LOW || s >= HIGH) throw new CorruptFrameException("rANS state " + s + " at offset " + pos + " outside [" + LOW + ", " + HIGH + ")");
                x[lane] = s;
            }
            this.buf = buf;
            this.pos = pos;
            this.end = end;
            this.lastWord = end - 2;
        }

        /**
         * Decodes a run that {@link Encoder#encode} coded: {@code n} symbols into {@code symbols}, symbol
         * {@code i} with the context whose base is {@code bases[i]}, on lane {@code i mod LANES}. Consecutive
         * symbols are on independent lanes, so the processor overlaps their work.
         */
        void decode(FrequencyTable table, int[] bases, int[] symbols, int n) {
            long[] x = this.x;
            byte[] buf = this.buf;
            int pos = this.pos;
            int lastWord = this.lastWord;
            for (int i = 0; i < n; i++) {
                int lane = i & (LANES - 1);
                int base = bases[i];
                long s = x[lane];
                int slot = (int) s & (TOTAL - 1);
                int symbol = table.find(base, slot);
                s = table.freq(base, symbol) * (s >>> PRECISION) + slot - table.start(base, symbol);
                // Branch-free, as in the encoder; the word is read whether it is needed or not.
                int in = (int) ((s - LOW) >>> 63);
                long word = LittleEndian.getShort(buf, Math.min(pos, lastWord));
                x[lane] = s << (in << 4) | word & -in;
                pos += in << 1;
                symbols[i] = symbol;
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
