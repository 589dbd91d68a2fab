package io.heavykv.runtime;

/** Why generation ended. */
public enum StopReason {
    /** The requested number of tokens was generated. */
    LENGTH,
    /** The model produced an end-of-sequence (or sequence-delimiting BOS) token. */
    END_OF_SEQUENCE,
    /** The configured context window is full. */
    CONTEXT_FULL
}
