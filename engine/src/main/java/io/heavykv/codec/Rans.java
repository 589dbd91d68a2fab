package io.heavykv.codec;

/**
 * A byte-wise range asymmetric numeral system coder with static frequencies of {@link #PRECISION} bits
 * (after Duda's rANS as popularised by ryg_rans): a 32-bit state held in a long, renormalised a byte at a
 * time. The encoder runs backwards over the symbols and writes bytes backwards; the decoder then reads
 * forwards. The encoder's initial state is what the decoder must end with, which together with consuming
 * exactly the stream makes a cheap integrity check.
 */
final class Rans {
    static final int PRECISION = 12;
    static final int TOTAL = 1 << PRECISION;
    private static final long LOW = 1L << 23;

    private Rans() {}

    /** Encoder state plus the write position, which moves down from the end of the buffer. */
    static final class Encoder {
        private byte[] buf;
        private int pos;
        private long x;

        /** Starts writing downwards from {@code end} of {@code buf}. */
        void reset(byte[] buf, int end) {
            this.buf = buf;
            this.pos = end;
            this.x = LOW;
        }

        void put(int start, int freq) {
            long max = ((LOW >>> PRECISION) << 8) * freq;
            while (x >= max) {
                buf[--pos] = (byte) x;
                x >>>= 8;
            }
            x = (x / freq << PRECISION) + x % freq + start;
        }

        /** Writes the final state; returns the position of the first byte of the stream. */
        int finish() {
            pos -= 4;
            LittleEndian.putInt(buf, pos, (int) x);
            return pos;
        }
    }

    /** Decoder over {@code buf[pos, end)}; every byte read is bounds-checked. */
    static final class Decoder {
        private byte[] buf;
        private int pos;
        private int end;
        private long x;

        void reset(byte[] buf, int pos, int end) {
            if (end - pos < 4) throw new CorruptFrameException("truncated: rANS stream at offset " + pos + " has " + (end - pos) + " bytes, needs at least 4");
            this.buf = buf;
            this.end = end;
            this.x = Integer.toUnsignedLong(LittleEndian.getInt(buf, pos));
            this.pos = pos + 4;
        }

        /** The slot in [0, TOTAL) of the next symbol; follow with {@link #advance}. */
        int slot() { return (int) (x & (TOTAL - 1)); }

        void advance(int start, int freq) {
            x = freq * (x >>> PRECISION) + (x & (TOTAL - 1)) - start;
            while (x < LOW) {
                if (pos >= end) throw new CorruptFrameException("truncated: rANS stream runs past offset " + end);
                x = x << 8 | buf[pos++] & 0xFF;
            }
        }

        /** @throws CorruptFrameException unless the stream ended exactly where the encoder started */
        void finish() {
            if (pos != end || x != LOW) {
                throw new CorruptFrameException("rANS stream ends at offset " + pos + " in state " + x + ", expected offset "
                        + end + " in state " + LOW);
            }
        }
    }
}
