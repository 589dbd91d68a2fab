package io.heavykv.tokenizer;

/**
 * The ids a tokenizer treats specially ({@link #NONE} when a vocabulary has none) and when it adds them.
 * {@code addSpacePrefix} is sentencepiece's dummy prefix: a space before text that starts a prompt or follows a
 * special token.
 */
public record SpecialTokens(int bos, int eos, int unknown, int padding, int endOfTurn, int endOfMessage,
                            boolean addBos, boolean addEos, boolean addSpacePrefix) {
    public static final int NONE = -1;

    /** llama2.c's convention: {@code <unk>} 0, {@code <s>} 1, {@code </s>} 2, BOS added, a dummy prefix. */
    static SpecialTokens llama2c(int bos, int eos) {
        return new SpecialTokens(bos, eos, NONE, NONE, NONE, NONE, true, false, true);
    }

    int[] ids() { return new int[] {bos, eos, unknown, padding, endOfTurn, endOfMessage}; }
}
