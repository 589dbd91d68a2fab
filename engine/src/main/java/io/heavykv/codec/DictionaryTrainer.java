package io.heavykv.codec;

import com.github.luben.zstd.ZstdDictTrainer;
import com.github.luben.zstd.ZstdException;

import java.util.Optional;

/**
 * Trains a zstd dictionary for one codec from sample blocks (typically earlier blocks of one layer):
 * the samples are the very streams that codec hands to zstd, so the dictionary's entropy tables and
 * content fit what it will compress.
 */
public final class DictionaryTrainer {
    private final CodecId codec;
    private final CodecContext ctx;
    private final ZstdDictTrainer trainer;
    private final int dictionaryBytes;
    private int samples;

    /**
     * @param sampleBudget    bytes of samples kept at most (later samples are dropped)
     * @param dictionaryBytes target dictionary size
     */
    public DictionaryTrainer(CodecId codec, CodecContext ctx, int sampleBudget, int dictionaryBytes) {
        if (BlockCodecs.of(codec).dictionaryType() != ZstdDictionary.class) {
            throw new IllegalArgumentException("codec " + codec + " takes no zstd dictionary");
        }
        this.codec = codec;
        this.ctx = ctx;
        this.dictionaryBytes = dictionaryBytes;
        this.trainer = new ZstdDictTrainer(sampleBudget, dictionaryBytes);
    }

    public CodecId codec() { return codec; }

    /** Adds one block's streams as samples. */
    public void add(BlockShape shape, byte[] src, int srcOff) {
        BlockCodecs.of(codec).forEachStream(shape, src, srcOff, ctx, (bytes, off, len) -> {
            if (trainer.addSample(java.util.Arrays.copyOfRange(bytes, off, off + len))) samples++;
        });
    }

    public int samples() { return samples; }

    /** The trained dictionary, or empty when zstd finds too little material (few or tiny samples). */
    public Optional<ZstdDictionary> train(int id) {
        if (samples < 8) return Optional.empty();
        try {
            byte[] content = trainer.trainSamples();
            return content.length == 0 || content.length > dictionaryBytes ? Optional.empty() : Optional.of(new ZstdDictionary(id, content));
        } catch (ZstdException e) {
            return Optional.empty();
        }
    }
}
