package io.heavykv.runtime;

/** A prompt does not fit the configured context window. */
public final class ContextOverflowException extends IllegalArgumentException {
    public ContextOverflowException(int promptTokens, int contextLength) {
        super("the prompt has " + promptTokens + " tokens but the context holds " + contextLength
                + " (raise --ctx, shorten the prompt, or use a cache-relative eviction policy)");
    }
}
