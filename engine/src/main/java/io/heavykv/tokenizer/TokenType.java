package io.heavykv.tokenizer;

/** What a vocabulary entry is, numbered as GGUF's {@code tokenizer.ggml.token_type} stores it. */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    /** The number GGUF stores for this type. */
    public int ggufId() { return ordinal(); }

    /** The type GGUF's number {@code id} stands for, or null when it stands for none. */
    static TokenType ofGgufId(long id) {
        return id >= 0 && id < values().length ? values()[(int) id] : null;
    }

    /** Pieces that user text may spell out and that then become the token itself (with parse_special). */
    boolean isSpecial() { return this == CONTROL || this == USER_DEFINED || this == UNKNOWN; }
}
