package io.heavykv.lossless;

import io.heavykv.codec.BlockCodecs;
import io.heavykv.codec.BlockShape;
import io.heavykv.codec.CodecContext;
import io.heavykv.codec.CodecId;
import io.heavykv.codec.CodecSelector;
import io.heavykv.codec.ContextModel;
import io.heavykv.codec.ContextModelTrainer;
import io.heavykv.codec.DictionaryTrainer;
import io.heavykv.codec.FrameHeader;
import io.heavykv.codec.FrameWriter;
import io.heavykv.codec.ZstdDictionary;

import java.util.ArrayList;
import java.util.List;

/**
 * The codec state of one stream (the K or the V of one layer), as the offline evaluator's online simulation
 * keeps it: a {@link CodecSelector} re-probing every few blocks, and optionally a dictionary trained on the
 * stream's first {@link #TRAIN_BLOCKS} blocks for the codec winning then, and, when the context-model codec is
 * a candidate, a context model learning from every block, snapshotted as {@link ContextModelTrainer#snapshotDue}
 * says. Workers share it, so it locks itself.
 */
final class StreamCoder {
    static final int TRAIN_BLOCKS = 16;
    static final int DICTIONARY_BYTES = 4096;

    private final CodecSelector selector;
    private final Dictionaries dictionaries;
    private final boolean trainDictionary;
    private final int zstdLevel;
    private List<byte[]> samples = new ArrayList<>();
    private List<BlockShape> sampleShapes = new ArrayList<>();
    private ZstdDictionary dictionary;
    private ContextModelTrainer modelTrainer;
    private final boolean trainModel;
    private ContextModel model;

    StreamCoder(LosslessConfig config, Dictionaries dictionaries) {
        this.selector = new CodecSelector(config.candidates(), config.reprobeInterval());
        this.dictionaries = dictionaries;
        this.trainDictionary = config.dictionary();
        this.zstdLevel = config.zstdLevel();
        this.trainModel = config.candidates().contains(CodecId.CONTEXT_MODEL);
    }

    /**
     * A block's frame header as written to the destination (its length, checksum, and the id of the
     * dictionary or model the frame names, which stays {@linkplain Dictionaries#pin pinned} until the runtime
     * takes the frame) and its codec label ("+dict" when a dictionary took part).
     */
    record Encoded(FrameHeader header, String label) { }

    /** Encodes one block into {@code dst} (room for {@link FrameWriter#maxFrameLength}). */
    synchronized Encoded encode(FrameWriter writer, BlockShape shape, byte[] src, byte[] dst) {
        int length = selector.encode(writer, shape, src, 0, dictionary, model, dst, 0);
        CodecId codec = selector.current();
        String label = BlockCodecs.label(codec, BlockCodecs.dictionaryFor(codec, dictionary, model));
        FrameHeader header = FrameHeader.parse(dst, 0, length);
        // Before learning, which may supersede the model the frame names.
        dictionaries.pin(header.dictionaryId());
        learn(shape, src);
        if (trainDictionary && samples != null) {
            samples.add(java.util.Arrays.copyOf(src, shape.rawBytes()));
            sampleShapes.add(shape);
            if (samples.size() == TRAIN_BLOCKS) train(codec);
        }
        return new Encoded(header, label);
    }

    /**
     * Gives up the pin on the current model: the runtime is done with this stream (a new sequence gets new
     * streams). Waits for an encode in progress, the last use the stream sees.
     */
    synchronized void release() {
        if (model != null) dictionaries.unpin(model.id());
        model = null;
    }

    /** Heap bytes of the context-model trainer: its counts and the row store its snapshots share. */
    synchronized long trainerBytes() { return modelTrainer == null ? 0 : modelTrainer.bytes(); }

    private void learn(BlockShape shape, byte[] src) {
        if (!trainModel) return;
        if (modelTrainer == null) {
            modelTrainer = new ContextModelTrainer(shape.channels());
        }
        ContextModel next = modelTrainer.learnOnline(shape, src, 0, dictionaries::nextId);
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
                        TRAIN_BLOCKS * FrameWriter.maxFrameLength(sampleShapes.getFirst()), DICTIONARY_BYTES);
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
