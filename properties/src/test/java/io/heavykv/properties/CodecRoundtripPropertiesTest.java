package io.heavykv.properties;

import io.heavykv.codec.CodecContext;
import io.heavykv.codec.CodecId;
import io.heavykv.codec.ContextModel;
import io.heavykv.codec.ContextModelTrainer;
import io.heavykv.codec.FrameReader;
import io.heavykv.codec.FrameWriter;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Statistics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every codec, forced or chosen automatically, gives back exactly the bits it was given. */
class CodecRoundtripPropertiesTest {
    private final CodecContext ctx = new CodecContext();
    private final FrameWriter writer = new FrameWriter(ctx);
    private final FrameReader reader = new FrameReader(ctx);

    @AfterProperty
    void close() { ctx.close(); }

    @Provide
    Arbitrary<KvBlocks.Block> blocks() { return KvBlocks.blocks(); }

    @Property
    void everyCodecRestoresEveryBitPattern(@ForAll("blocks") KvBlocks.Block block, @ForAll CodecId codec) {
        // The patterns float arithmetic would disturb must really be drawn, or this property proves nothing of them.
        List<String> patterns = KvBlocks.patterns(block);
        for (String p : List.of("NaN payload", "subnormal", "-0", "+0")) {
            Statistics.label(p).collect(patterns.contains(p));
            Statistics.label(p).coverage(c -> c.check(true).percentage(share -> share >= 20));
        }
        Statistics.label("large blocks").collect(block.shape().tokens() * block.shape().channels() > 24 * 40);
        Statistics.label("large blocks").coverage(c -> c.check(true).count(n -> n >= 20));
        byte[] frame = writer.encode(block.shape(), block.raw(), 0, codec, null);
        assertThat(reader.decode(frame)).isEqualTo(block.raw());
    }

    /**
     * The context-model codec with a model that learned {@code teacher} and the block itself (so every row of
     * the block is a model row) restores every bit pattern; a model that does not fit the block is ignored.
     */
    @Property
    void contextModelWithATrainedModelRestoresEveryBitPattern(@ForAll("blocks") KvBlocks.Block block,
                                                              @ForAll("blocks") KvBlocks.Block teacher) {
        ContextModel model = KvBlocks.modelOf(7, teacher, block);
        byte[] frame = writer.encode(block.shape(), block.raw(), 0, CodecId.CONTEXT_MODEL, model);
        assertThat(new FrameReader(ctx, Map.of(7, model)::get).decode(frame)).isEqualTo(block.raw());
    }

    @Property
    void autoRestoresEveryBitPatternAndIsNeverLargerThanStoring(@ForAll("blocks") KvBlocks.Block block) {
        byte[] dst = new byte[FrameWriter.maxFrameLength(block.shape())];
        int length = writer.writeSmallest(block.shape(), block.raw(), 0, CodecId.all(), null, dst, 0);
        assertThat(reader.decode(Arrays.copyOf(dst, length))).isEqualTo(block.raw());
        assertThat(length).isLessThanOrEqualTo(writer.encode(block.shape(), block.raw(), 0, CodecId.STORED, null).length);
    }
}
