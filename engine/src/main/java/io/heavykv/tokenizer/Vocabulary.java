package io.heavykv.tokenizer;

import java.util.List;

/**
 * The pieces of a sentencepiece-style vocabulary as a model file stores them, before any tokenizer logic.
 * Byte-fallback pieces are spelled {@code <0xAB>}; {@code scores} rank merges (higher merges first).
 */
public record Vocabulary(List<String> pieces, float[] scores, int bosId, int eosId) {
    public Vocabulary {
        if (pieces.size() != scores.length) {
            throw new IllegalArgumentException("vocabulary has " + pieces.size() + " pieces but " + scores.length + " scores");
        }
        pieces = List.copyOf(pieces);
    }

    public int size() { return pieces.size(); }
}
