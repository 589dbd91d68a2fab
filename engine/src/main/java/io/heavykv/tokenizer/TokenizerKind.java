package io.heavykv.tokenizer;

/** The algorithm a vocabulary is tokenized with. */
public enum TokenizerKind {
    /** llama2.c tokenizer files: sentencepiece BPE whose pieces spell spaces as plain spaces. */
    LLAMA2C(" ", null),
    /** GGUF {@code llama}: sentencepiece BPE whose pieces spell spaces as U+2581, as sentencepiece does. */
    SENTENCEPIECE("\u2581", "llama"),
    /** GGUF {@code gpt2}: byte-level BPE with ranked merges and a regex pre-tokenizer. */
    BYTE_LEVEL_BPE(null, "gpt2");

    private final String spaceMarker;
    private final String ggufName;

    TokenizerKind(String spaceMarker, String ggufName) {
        this.spaceMarker = spaceMarker;
        this.ggufName = ggufName;
    }

    /** How sentencepiece pieces spell a space; null for byte-level BPE. */
    String spaceMarker() { return spaceMarker; }

    /** The value of GGUF's {@code tokenizer.ggml.model}; null for llama2.c files, which GGUF never holds. */
    String ggufName() { return ggufName; }
}
