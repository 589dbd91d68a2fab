package io.heavykv.properties;

import io.heavykv.codec.BlockShape;
import io.heavykv.codec.ContextModel;
import io.heavykv.codec.ContextModelTrainer;
import io.heavykv.kvcache.KvDType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Generators of raw KV blocks, up to 256 tokens of 128 channels. Shapes shrink towards 1 x 1 and values
 * towards 0, so a counterexample is a tiny block of few distinct patterns. Values mix the patterns float arithmetic would disturb
 * (NaN payloads quiet and signalling, -0, subnormals, infinities), arbitrary bits and smooth runs that
 * make the predictors and zstd do real work.
 */
final class KvBlocks {
    private KvBlocks() {}

    /** A block: its shape and its raw little-endian bytes. */
    record Block(BlockShape shape, byte[] raw) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(shape.tokens() + "x" + shape.channels() + " " + shape.dtype() + " [");
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                s.append(shape.dtype() == KvDType.FP16 ? String.format("%04x", b.getShort()) : String.format("%08x", b.getInt()));
                if (b.hasRemaining()) s.append(' ');
            }
            return s.append(']').toString();
        }
    }

    /**
     * Blocks as above, a third of them with some rows overwritten by copies of earlier rows, as repeated
     * tokens give in real KV, so the deduplicating codec's references are exercised (and damaged).
     */
    static Arbitrary<Block> blocks() {
        Arbitrary<Block> repeated = Combinators.combine(distinct(), Arbitraries.integers().between(0, 1 << 16)
                .list().ofMinSize(1).ofMaxSize(12)).as(KvBlocks::repeatRows);
        // Edge cases: every special bit pattern of each type in one row, and that row repeated.
        return NamedEdgeCases.of(Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, distinct()), net.jqwik.api.Tuple.of(1, repeated)),
                specialRows());
    }

    /** For FP16 and FP32: one token holding every special pattern as a channel, and two such tokens. */
    private static List<Block> specialRows() {
        List<Block> rows = new java.util.ArrayList<>();
        for (int tokens = 1; tokens <= 2; tokens++) {
            for (KvDType dtype : KvDType.values()) {
                int[] special = dtype == KvDType.FP16 ? HALF_SPECIALS : SINGLE_SPECIALS;
                List<Integer> values = new java.util.ArrayList<>();
                for (int t = 0; t < tokens; t++) for (int v : special) values.add(v);
                rows.add(toBlock(new BlockShape(dtype, tokens, special.length), values));
            }
        }
        return rows;
    }

    /**
     * A context model named {@code id} that learned every block that fits the channel count of the first
     * (blocks of other shapes, or FP32, teach it nothing).
     */
    static ContextModel modelOf(int id, Block... blocks) {
        ContextModelTrainer trainer = new ContextModelTrainer(blocks[0].shape().channels());
        for (Block b : blocks) if (trainer.fits(b.shape())) trainer.add(b.shape(), b.raw(), 0);
        return trainer.snapshot(id);
    }

    /** Each pick {@code p} copies row {@code p % tokens} onto row {@code (p / tokens) % tokens} when that one lies later. */
    private static Block repeatRows(Block block, List<Integer> picks) {
        int tokens = block.shape().tokens();
        int rowBytes = block.shape().rawBytes() / tokens;
        byte[] raw = block.raw().clone();
        for (int p : picks) {
            int from = p % tokens;
            int to = (p / tokens) % tokens;
            if (to > from) System.arraycopy(raw, from * rowBytes, raw, to * rowBytes, rowBytes);
        }
        return new Block(block.shape(), raw);
    }

    /**
     * Small blocks whose every value jqwik draws (and shrinks), and, one in four, blocks up to a real page's
     * size (256 tokens of 128 channels) filled from a seed with the same mix, too large to draw value by value.
     */
    private static Arbitrary<Block> distinct() {
        Arbitrary<Block> small = Combinators.combine(Arbitraries.of(KvDType.values()), Arbitraries.integers().between(1, 24),
                Arbitraries.integers().between(1, 40)).flatAs((dtype, tokens, channels) ->
                values(dtype).list().ofSize(tokens * channels).map(v -> toBlock(new BlockShape(dtype, tokens, channels), v)));
        Arbitrary<Block> large = Combinators.combine(Arbitraries.of(KvDType.values()), Arbitraries.integers().between(1, 256),
                Arbitraries.integers().between(1, 128), Arbitraries.longs()).as(KvBlocks::seeded);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, small), net.jqwik.api.Tuple.of(1, large));
    }

    /** A block drawn from {@code seed}: special bit patterns, arbitrary bits and smooth typical values as above. */
    private static Block seeded(KvDType dtype, int tokens, int channels, long seed) {
        java.util.Random random = new java.util.Random(seed);
        int[] special = dtype == KvDType.FP16 ? HALF_SPECIALS : SINGLE_SPECIALS;
        List<Integer> values = new java.util.ArrayList<>(tokens * channels);
        for (int i = 0; i < tokens * channels; i++) {
            int kind = random.nextInt(9);
            float typical = (random.nextFloat() * 2 - 1) * 4f;
            int bits;
            if (kind < 2) bits = special[random.nextInt(special.length)];
            else if (kind < 4) bits = dtype == KvDType.FP16 ? random.nextInt(0x10000) : random.nextInt();
            else bits = dtype == KvDType.FP16 ? Float.floatToFloat16(typical) & 0xFFFF : Float.floatToRawIntBits(typical);
            values.add(bits);
        }
        return toBlock(new BlockShape(dtype, tokens, channels), values);
    }

    /** Which of the patterns float arithmetic would disturb a block holds, for jqwik's statistics. */
    static List<String> patterns(Block block) {
        boolean half = block.shape().dtype() == KvDType.FP16;
        ByteBuffer b = ByteBuffer.wrap(block.raw()).order(ByteOrder.LITTLE_ENDIAN);
        boolean nanPayload = false;
        boolean subnormal = false;
        boolean negativeZero = false;
        boolean positiveZero = false;
        while (b.hasRemaining()) {
            int bits = half ? b.getShort() & 0xFFFF : b.getInt();
            int exponent = half ? (bits >>> 10) & 0x1F : (bits >>> 23) & 0xFF;
            int mantissa = half ? bits & 0x3FF : bits & 0x7FFFFF;
            int quietBit = half ? 0x200 : 0x400000;
            int maxExponent = half ? 0x1F : 0xFF;
            int sign = half ? 0x8000 : 0x80000000;
            // A payload is any NaN other than the canonical quiet one.
            nanPayload |= exponent == maxExponent && mantissa != 0 && mantissa != quietBit;
            subnormal |= exponent == 0 && mantissa != 0;
            negativeZero |= bits == sign;
            positiveZero |= bits == 0;
        }
        List<String> found = new java.util.ArrayList<>();
        if (nanPayload) found.add("NaN payload");
        if (subnormal) found.add("subnormal");
        if (negativeZero) found.add("-0");
        if (positiveZero) found.add("+0");
        return found;
    }

    private static Arbitrary<Integer> values(KvDType dtype) {
        return dtype == KvDType.FP16 ? halfBits() : singleBits();
    }

    private static final int[] HALF_SPECIALS = {0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x83FF, 0x7C00, 0xFC00,
        0x7E00, 0xFE00, 0x7C01, 0xFD55, 0x7FFF, 0xFFFF, 0x3C00, 0xBC00, 0x7BFF};
    private static final int[] SINGLE_SPECIALS = {0, 0x80000000, 1, 0x80000001, 0x007FFFFF, 0x7F800000, 0xFF800000,
        0x7FC00000, 0xFFC00001, 0x7F800001, 0x7FBFFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0x3F800000};

    private static Arbitrary<Integer> halfBits() {
        Arbitrary<Integer> special = Arbitraries.of(java.util.Arrays.stream(HALF_SPECIALS).boxed().toList());
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<Integer> typical = Arbitraries.floats().between(-4f, 4f).map(f -> Float.floatToFloat16(f) & 0xFFFF);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, special), net.jqwik.api.Tuple.of(2, any), net.jqwik.api.Tuple.of(5, typical));
    }

    private static Arbitrary<Integer> singleBits() {
        Arbitrary<Integer> special = Arbitraries.of(java.util.Arrays.stream(SINGLE_SPECIALS).boxed().toList());
        Arbitrary<Integer> any = Arbitraries.integers();
        Arbitrary<Integer> typical = Arbitraries.floats().between(-4f, 4f).map(Float::floatToRawIntBits);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, special), net.jqwik.api.Tuple.of(2, any), net.jqwik.api.Tuple.of(5, typical));
    }

    private static Block toBlock(BlockShape shape, List<Integer> values) {
        ByteBuffer b = ByteBuffer.allocate(shape.rawBytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            if (shape.dtype() == KvDType.FP16) b.putShort((short) v);
            else b.putInt(v);
        }
        return new Block(shape, b.array());
    }
}
