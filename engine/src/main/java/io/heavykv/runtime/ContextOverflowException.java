package io.heavykv.runtime;

/**
 * A sequence does not fit the configured context window. The window bounds positions, not what the cache
 * holds, so eviction does not lift it: only a larger --ctx or fewer tokens do.
 */
public final class ContextOverflowException extends IllegalArgumentException {
    private ContextOverflowException(String message) {
        super(message);
    }

    /** A prompt of {@code promptTokens} (with what came before it) that exceeds the window. */
    static ContextOverflowException prompt(int promptTokens, int contextLength) {
        return new ContextOverflowException("the prompt has " + promptTokens + " tokens but the context holds " + contextLength
                + " (raise --ctx or shorten the prompt)");
    }

    /** A decode step past the last position of the window. */
    static ContextOverflowException decode(int contextLength) {
        return new ContextOverflowException("decoding reached the end of the context (" + contextLength
                + " tokens, prompt included): raise --ctx or generate fewer tokens");
    }
}
