package io.heavykv.bench;

/** Prompts of an exact token length for speed runs. */
public interface PromptSource {

    /** {@code length} token ids, BOS first. */
    int[] tokens(int length);

    /** Prefix of the prompt ids in records, e.g. {@code text} for {@code text:512}. */
    String kind();

    default String promptId(int length) { return kind() + ":" + length; }
}
