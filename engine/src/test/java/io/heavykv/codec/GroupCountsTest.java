package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Context models of several streams pooling their field counts: what a stream gains, and what it costs once. */
class GroupCountsTest {
    private final BlockShape shape = new BlockShape(KvDType.FP16, 16, 32);

    private static ContextModelTrainer trained(BlockShape shape, GroupCounts counts, long... seeds) {
        ContextModelTrainer trainer = new ContextModelTrainer(shape.channels(), false, counts);
        for (long seed : seeds) trainer.add(shape, FrameTestSupport.smoothBlock(shape, seed), 0);
        return trainer;
    }

    /** A stream that has seen one block codes the next one as well as the blocks all pooling streams saw allow. */
    @Test
    void aStreamLearnsFromTheStreamsItPoolsWith() {
        GroupCounts pooled = new GroupCounts();
        trained(shape, pooled, 1, 2, 3, 4, 5, 6, 7, 8);
        ContextModel sharing = trained(shape, pooled, 20).snapshot(1);
        ContextModel alone = trained(shape, new GroupCounts(), 20).snapshot(2);
        byte[] next = FrameTestSupport.smoothBlock(shape, 21);
        try (CodecContext ctx = new CodecContext()) {
            FrameWriter writer = new FrameWriter(ctx);
            byte[] withPooled = writer.encode(shape, next, 0, CodecId.CONTEXT_MODEL, sharing);
            byte[] withOwn = writer.encode(shape, next, 0, CodecId.CONTEXT_MODEL, alone);
            assertThat(withPooled.length).isLessThan(withOwn.length);
            assertThat(new FrameReader(ctx, id -> id == 1 ? sharing : null).decode(withPooled)).isEqualTo(next);
        }
    }

    /** Snapshots of pooling streams made between two freezes hold one table, which the memory figure counts once. */
    @Test
    void pooledStreamsShareOneTableCountedOnce() {
        GroupCounts pooled = new GroupCounts();
        ContextModelTrainer first = trained(shape, pooled, 1, 2);
        ContextModelTrainer second = trained(shape, pooled, 3, 4);
        Dictionaries dictionaries = new Dictionaries();
        ContextModel a = first.snapshot(dictionaries.nextId());
        ContextModel b = second.snapshot(dictionaries.nextId());
        dictionaries.register(a);
        dictionaries.register(b);
        assertThat(b.signExponent).isSameAs(a.signExponent);
        assertThat(dictionaries.bytes()).isEqualTo(a.tableBytes() + b.tableBytes() - a.signExponent.bytes());

        // A stream's later snapshot shares its bases too: it adds nothing until the pooled counts are frozen again.
        ContextModel again = first.snapshot(dictionaries.nextId());
        dictionaries.register(again);
        assertThat(dictionaries.bytes()).isEqualTo(a.tableBytes() + b.tableBytes() - a.signExponent.bytes());
        dictionaries.closeAll();
    }
}
