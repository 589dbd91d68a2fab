package io.heavykv.tokenizer;

import java.util.function.IntConsumer;

/** Turns text that holds no special token into ids: one implementation per {@link TokenizerKind} algorithm. */
interface FragmentEncoder {
    /** Appends the ids of {@code text}; {@code afterSpecial} when only special tokens (or nothing) precede it. */
    void encode(String text, boolean afterSpecial, IntConsumer out);
}
