package io.heavykv.bench;

import java.util.SplittableRandom;

/**
 * Seeded random token ids (after BOS) for synthetic models, whose vocabulary has no text to tokenize.
 * Control ids below {@code firstId} are avoided so no prompt carries a stray BOS/EOS.
 */
public final class RandomPrompts implements PromptSource {
    private final int bos;
    private final int firstId;
    private final int vocabSize;
    private final long seed;

    public RandomPrompts(int bos, int firstId, int vocabSize, long seed) {
        if (firstId < 0 || firstId >= vocabSize) {
            throw new IllegalArgumentException("first random id " + firstId + " is outside a vocabulary of " + vocabSize);
        }
        this.bos = bos;
        this.firstId = firstId;
        this.vocabSize = vocabSize;
        this.seed = seed;
    }

    /** Prompts for a model's vocabulary, seed 7: what bench and the speed scenario feed synthetic models. */
    public static RandomPrompts forModel(io.heavykv.runtime.Engine engine) {
        // Ids 0..2 are <unk>, BOS and EOS in llama2.c and synthetic vocabularies alike.
        return new RandomPrompts(engine.tokenizer().bosId(), 3, engine.model().config().vocabSize(), 7);
    }

    @Override
    public int[] tokens(int length) {
        if (length < 1) throw new IllegalArgumentException("prompt length must be at least 1 (BOS), got " + length);
        SplittableRandom random = new SplittableRandom(seed + length);
        int[] out = new int[length];
        out[0] = bos;
        for (int i = 1; i < length; i++) out[i] = random.nextInt(firstId, vocabSize);
        return out;
    }

    @Override
    public String kind() { return "random"; }
}
