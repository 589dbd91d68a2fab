package io.heavykv.properties;

import io.heavykv.codec.BlockCodecs;
import io.heavykv.codec.CodecContext;
import io.heavykv.codec.CodecId;
import io.heavykv.codec.ContextModel;
import io.heavykv.codec.CorruptFrameException;
import io.heavykv.codec.FrameHeader;
import io.heavykv.codec.FrameReader;
import io.heavykv.codec.FrameWriter;
import io.heavykv.codec.ZstdDictionary;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A damaged frame either fails with {@link CorruptFrameException} or, if the damage hit bits that do not
 * matter, still yields exactly the original block: never different bytes, never another exception.
 */
class FrameCorruptionPropertiesTest {
    private final CodecContext ctx = new CodecContext();
    private final FrameWriter writer = new FrameWriter(ctx);
    private final FrameReader reader = new FrameReader(ctx);

    @AfterProperty
    void close() { ctx.close(); }

    /** One kind of damage; positions are taken modulo the frame length so they shrink to the frame's start. */
    sealed interface Damage {
        byte[] apply(byte[] frame);
    }

    record FlipBits(List<Integer> positions) implements Damage {
        public byte[] apply(byte[] frame) {
            byte[] f = frame.clone();
            for (int p : positions) f[(p / 8) % f.length] ^= (byte) (1 << (p % 8));
            return f;
        }
    }

    record Truncate(int removed) implements Damage {
        public byte[] apply(byte[] frame) { return Arrays.copyOf(frame, Math.max(0, frame.length - removed)); }
    }

    record Extend(byte[] extra) implements Damage {
        public byte[] apply(byte[] frame) {
            byte[] f = Arrays.copyOf(frame, frame.length + extra.length);
            System.arraycopy(extra, 0, f, frame.length, extra.length);
            return f;
        }

        @Override public String toString() { return "Extend" + Arrays.toString(extra); }
    }

    /** Overwrites one little-endian int of the header (field offsets 0, 4, ..., 28). */
    record OverwriteHeaderField(int field, int value) implements Damage {
        public byte[] apply(byte[] frame) {
            byte[] f = frame.clone();
            int at = 4 * field;
            for (int i = 0; i < 4; i++) f[at + i] = (byte) (value >>> (8 * i));
            return f;
        }
    }

    @Provide
    Arbitrary<KvBlocks.Block> blocks() { return KvBlocks.blocks(); }

    @Provide
    Arbitrary<Damage> damage() {
        // Up to 64 flips: burst damage, not only the few isolated flips a checksum is sure to catch.
        Arbitrary<Damage> flips = Arbitraries.integers().between(0, 1 << 20).list().ofMinSize(1).ofMaxSize(64).map(FlipBits::new);
        Arbitrary<Damage> truncate = Arbitraries.integers().between(1, 1 << 12).map(Truncate::new);
        Arbitrary<Damage> extend = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16).map(Extend::new);
        Arbitrary<Damage> header = Combinators.combine(Arbitraries.integers().between(0, FrameHeader.BYTES / 4 - 1),
                Arbitraries.oneOf(Arbitraries.integers().between(-2, 300), Arbitraries.integers())).as(OverwriteHeaderField::new);
        // Edge cases: the smallest flips and cuts. Those of the header overwrites (every field times every edge
        // value) would multiply with the blocks' and codecs' past the tries; random overwrites cover them.
        return Arbitraries.oneOf(flips, truncate, extend, header)
                .edgeCases(config -> config.filter(d -> d instanceof FlipBits || d instanceof Truncate));
    }

    @Property(tries = 2000)
    void damagedFramesNeverDecodeToOtherBytes(@ForAll("blocks") KvBlocks.Block block, @ForAll CodecId codec,
                                              @ForAll("damage") Damage damage) {
        byte[] frame = writer.encode(block.shape(), block.raw(), 0, codec, null);
        byte[] damaged = damage.apply(frame);
        assertDecodesExactlyOrFails(damaged, block.raw());
    }

    @Property(tries = 1000)
    void damagedContextModelFramesNeverDecodeToOtherBytes(@ForAll("blocks") KvBlocks.Block block,
                                                          @ForAll("blocks") KvBlocks.Block teacher,
                                                          @ForAll("damage") Damage damage) {
        ContextModel model = KvBlocks.modelOf(3, teacher, block);
        byte[] frame = writer.encode(block.shape(), block.raw(), 0, CodecId.CONTEXT_MODEL, model);
        assertDecodesExactlyOrFails(new FrameReader(ctx, Map.of(3, model)::get), damage.apply(frame), block.raw());
    }

    /** Frames coded against a zstd dictionary, which the reader must have and must not be fooled about. */
    @Property(tries = 1000)
    void damagedZstdDictionaryFramesNeverDecodeToOtherBytes(@ForAll("blocks") KvBlocks.Block block,
                                                            @ForAll("blocks") KvBlocks.Block teacher,
                                                            @ForAll("dictionaryCodecs") CodecId codec,
                                                            @ForAll("damage") Damage damage) {
        try (ZstdDictionary dictionary = new ZstdDictionary(5, teacher.raw())) {
            byte[] frame = writer.encode(block.shape(), block.raw(), 0, codec, dictionary);
            assertDecodesExactlyOrFails(new FrameReader(ctx, Map.of(5, dictionary)::get), damage.apply(frame), block.raw());
        }
    }

    @Provide
    Arbitrary<CodecId> dictionaryCodecs() {
        return Arbitraries.of(CodecId.all().stream()
                .filter(c -> BlockCodecs.of(c).dictionaryType() == ZstdDictionary.class).toList());
    }

    @Property
    void arbitraryBytesBehindAValidLookingHeaderAreRejected(@ForAll("blocks") KvBlocks.Block block, @ForAll CodecId codec,
                                                            @ForAll @IntRange(max = 1 << 16) int seed) {
        byte[] frame = writer.encode(block.shape(), block.raw(), 0, codec, null);
        java.util.Random random = new java.util.Random(seed);
        byte[] garbage = frame.clone();
        for (int i = FrameHeader.BYTES; i < garbage.length; i++) garbage[i] = (byte) random.nextInt();
        assertDecodesExactlyOrFails(garbage, block.raw());
    }

    private void assertDecodesExactlyOrFails(byte[] frame, byte[] original) {
        assertDecodesExactlyOrFails(reader, frame, original);
    }

    private static void assertDecodesExactlyOrFails(FrameReader reader, byte[] frame, byte[] original) {
        byte[] out = new byte[original.length];
        try {
            reader.read(frame, 0, frame.length, out, 0);
        } catch (CorruptFrameException expected) {
            return;
        } catch (RuntimeException | Error e) {
            fail("decoding a damaged frame threw " + e, e);
        }
        assertThat(out).as("a damaged frame decoded without error, so it must be the original").isEqualTo(original);
    }
}
