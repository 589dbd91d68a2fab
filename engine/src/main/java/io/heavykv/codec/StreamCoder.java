package io.heavykv.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The codec state of one stream (the K or the V of one layer): a {@link CodecSelector} re-probing every few
 * blocks, optionally a dictionary trained on the stream's first blocks for the codec winning then, and, when
 * the context-model codec is a candidate, a context model learning from every block, snapshotted as
 * {@link ContextModelTrainer#snapshotDue} says, its field counts pooled in a {@link GroupCounts} with the
 * other streams of its kind. The lossless runtime codes every page with it, and the offline
 * evaluator's online simulation runs the same code over a KV dump, so what that simulation measures is what
 * the runtime does. Encode workers share it, so it locks itself.
 */
public final class StreamCoder {
    private final CodecSelector selector;
    private final Dictionaries dictionaries;
    private final int dictionaryBytes;
    private final int trainBlocks;
    private final int zstdLevel;
    private final boolean trainModel;
    private final boolean keepRows;
    private final GroupCounts groupCounts;
    private List<byte[]> samples = new ArrayList<>();
    private List<BlockShape> sampleShapes = new ArrayList<>();
    private ZstdDictionary dictionary;
    private ContextModelTrainer modelTrainer;
    private ContextModel model;
    /** Highest token position learned from: a block coded again (after eviction compacted it) teaches nothing new. */
    private long learnedUpTo = Long.MIN_VALUE;

    /**
     * @param dictionaryBytes size of the zstd dictionary trained on the first {@code trainBlocks} blocks (0: none)
     * @param keepRows        whether the context model keeps the distinct rows it sees for references: they pay
     *                        only where tokens stay (no eviction), since the store keeps every row it admits
     * @param groupCounts     where the context model's field counts go, pooled with the streams given the same
     */
    public StreamCoder(List<CodecId> candidates, int reprobeInterval, int zstdLevel, int dictionaryBytes, int trainBlocks,
                       boolean keepRows, GroupCounts groupCounts, Dictionaries dictionaries) {
        this.selector = new CodecSelector(candidates, reprobeInterval);
        this.dictionaries = dictionaries;
        this.dictionaryBytes = dictionaryBytes;
        this.trainBlocks = trainBlocks;
        this.zstdLevel = zstdLevel;
        this.trainModel = candidates.contains(CodecId.CONTEXT_MODEL);
        this.keepRows = keepRows;
        this.groupCounts = groupCounts;
    }

    /**
     * A block's frame header as written to the destination (its length, checksum, and the id of the
     * dictionary or model the frame names, which stays {@linkplain Dictionaries#pin pinned} until its holder
     * takes the frame) and its codec label ("+dict" when a dictionary took part).
     */
    public record Encoded(FrameHeader header, String label) { }

    /**
     * Encodes one block at {@code src[srcOff]} into {@code dst} (room for {@link FrameWriter#maxFrameLength}).
     *
     * @param positions the tokens' positions, ascending, or null when every block is new: the stream learns only
     *                  from tokens past every position it learned from
     */
    public synchronized Encoded encode(FrameWriter writer, BlockShape shape, byte[] src, int srcOff, int[] positions, byte[] dst) {
        int length = selector.encode(writer, shape, src, srcOff, dictionary, model, dst, 0);
        CodecId codec = selector.current();
        String label = BlockCodecs.label(codec, BlockCodecs.dictionaryFor(codec, dictionary, model));
        FrameHeader header = FrameHeader.parse(dst, 0, length);
        // Before learning, which may supersede the model the frame names.
        dictionaries.pin(header.dictionaryId());
        int fresh = firstNew(shape.tokens(), positions);
        if (fresh < shape.tokens()) {
            int rowBytes = shape.channels() * shape.dtype().bytes();
            learn(new BlockShape(shape.dtype(), shape.tokens() - fresh, shape.channels()), src, srcOff + fresh * rowBytes);
        }
        if (dictionaryBytes > 0 && samples != null) {
            samples.add(Arrays.copyOfRange(src, srcOff, srcOff + shape.rawBytes()));
            sampleShapes.add(shape);
            if (samples.size() == trainBlocks) train(codec);
        }
        return new Encoded(header, label);
    }

    /** The first token of a block past what the stream learned from; moves that mark past the block. */
    private int firstNew(int tokens, int[] positions) {
        if (positions == null) return 0;
        int t = 0;
        while (t < tokens && positions[t] <= learnedUpTo) t++;
        if (tokens > 0) learnedUpTo = Math.max(learnedUpTo, positions[tokens - 1]);
        return t;
    }

    /**
     * Gives up the pin on the current model: the holder is done with this stream (a new sequence gets new
     * streams). Waits for an encode in progress, the last use the stream sees.
     */
    public synchronized void release() {
        if (model != null) dictionaries.unpin(model.id());
        model = null;
    }

    /** Heap bytes of the context-model trainer: its counts and the row store its snapshots share. */
    public synchronized long trainerBytes() { return modelTrainer == null ? 0 : modelTrainer.bytes(); }

    private void learn(BlockShape shape, byte[] src, int srcOff) {
        if (!trainModel) return;
        if (modelTrainer == null) {
            modelTrainer = new ContextModelTrainer(shape.channels(), keepRows, groupCounts);
        }
        ContextModel next = modelTrainer.learnOnline(shape, src, srcOff, dictionaries::nextId);
        if (next != null) {
            // The current model is pinned for as long as it is current, from before it is registered: a
            // retirement on another thread then never sees it unpinned, whenever it looks (a list of current
            // ids read first would miss a model registered between that read and the retirement).
            dictionaries.pin(next.id());
            dictionaries.register(next);
            if (model != null) dictionaries.unpin(model.id());
            model = next;
        }
    }

    private void train(CodecId codec) {
        if (BlockCodecs.of(codec).dictionaryType() == ZstdDictionary.class) {
            // A context of its own: the caller's belongs to a worker thread that may use it elsewhere later.
            try (CodecContext ctx = new CodecContext(zstdLevel)) {
                DictionaryTrainer trainer = new DictionaryTrainer(codec, ctx,
                        (int) Math.min(Integer.MAX_VALUE - 8, (long) trainBlocks * FrameWriter.maxFrameLength(sampleShapes.getFirst())),
                        dictionaryBytes);
                for (int i = 0; i < samples.size(); i++) trainer.add(sampleShapes.get(i), samples.get(i), 0);
                trainer.train(dictionaries.nextId()).ifPresent(d -> {
                    dictionaries.register(d);
                    dictionary = d;
                });
            }
        }
        samples = null;
        sampleShapes = null;
    }
}
