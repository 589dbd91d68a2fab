package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream coder the runtime and the offline simulation share: what it learns from, and what that costs. */
class StreamCoderTest {
    private final BlockShape shape = new BlockShape(KvDType.FP16, 16, 32);
    private final CodecContext ctx = new CodecContext();
    private final FrameWriter writer = new FrameWriter(ctx);
    private final Dictionaries dictionaries = new Dictionaries();
    private final byte[] frame = new byte[FrameWriter.maxFrameLength(shape)];

    @AfterEach
    void close() {
        dictionaries.closeAll();
        ctx.close();
    }

    private StreamCoder coder(boolean keepRows) {
        return new StreamCoder(List.of(CodecId.CONTEXT_MODEL), 16, 3, 0, 16, keepRows, new GroupCounts(), dictionaries);
    }

    private static int[] positions(int from, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = from + i;
        return p;
    }

    private int modelOf(StreamCoder coder, byte[] block, int[] positions) {
        return coder.encode(writer, shape, block, 0, positions, frame).header().dictionaryId();
    }

    /**
     * A page H2O compacted is coded again with tokens the stream learned from already: learning them again
     * would count them twice (and made the models snapshot again, or keep their rows again).
     */
    @Test
    void aBlockCodedAgainTeachesNothingNew() {
        byte[] a = FrameTestSupport.smoothBlock(shape, 1);
        byte[] b = FrameTestSupport.smoothBlock(shape, 2);
        StreamCoder again = coder(true);
        modelOf(again, a, positions(0, 16));                      // learns block 1: a model snapshot is due
        int afterFirst = modelOf(again, a, positions(0, 16));     // the same tokens: nothing learned
        assertThat(modelOf(again, b, positions(16, 16))).as("no second snapshot before a second new block")
                .isEqualTo(afterFirst);

        StreamCoder fresh = coder(true);
        modelOf(fresh, a, positions(0, 16));
        int second = modelOf(fresh, a, positions(100, 16));       // same bytes, new tokens: learned, snapshot due
        assertThat(modelOf(fresh, b, positions(116, 16))).isNotEqualTo(second);
    }

    @Test
    void withoutRowsTheModelHoldsNone() {
        byte[] a = FrameTestSupport.smoothBlock(shape, 1);
        StreamCoder coder = coder(false);
        for (int i = 0; i < 4; i++) modelOf(coder, a, positions(16 * i, 16));
        ContextModel model = (ContextModel) dictionaries.get(modelOf(coder, a, positions(64, 16)));
        assertThat(model).as("the stream's context model after five blocks").isNotNull();
        assertThat(model.rows()).isZero();
        StreamCoder keeping = coder(true);
        for (int i = 0; i < 4; i++) modelOf(keeping, a, positions(16 * i, 16));
        ContextModel kept = (ContextModel) dictionaries.get(modelOf(keeping, a, positions(64, 16)));
        assertThat(kept).as("the keeping stream's context model after five blocks").isNotNull();
        assertThat(kept.rows()).isPositive();
    }

    /** A model's memory is mostly its counts; once the channels' groups are fixed they shrink to a table per group. */
    @Test
    void theTrainerCountsPerGroupOnceTheGroupsAreFixed() {
        ContextModelTrainer trainer = new ContextModelTrainer(shape.channels(), false);
        long perChannel = trainer.bytes();
        for (int i = 0; i < ContextModelTrainer.GROUPING_BLOCKS; i++) trainer.add(shape, FrameTestSupport.smoothBlock(shape, 1 + i), 0);
        assertThat(trainer.bytes()).isLessThan(perChannel / 2);
        // Still a model that codes: blocks like the ones it learned from come out smaller than raw.
        ContextModel model = trainer.snapshot(9);
        byte[] next = FrameTestSupport.smoothBlock(shape, 5);
        byte[] coded = writer.encode(shape, next, 0, CodecId.CONTEXT_MODEL, model);
        assertThat(new FrameReader(ctx, id -> id == 9 ? model : null).decode(coded)).isEqualTo(next);
    }
}
