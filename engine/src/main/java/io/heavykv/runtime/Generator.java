package io.heavykv.runtime;

import io.heavykv.sampling.Sampler;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/** The sampling loop: prefill the prompt, then sample and feed back one token at a time. */
public final class Generator {

    /** Receives each generated token as soon as it is sampled (for streaming output). */
    @FunctionalInterface
    public interface TokenSink {
        void accept(int previous, int token);
    }

    private final Session session;
    private final Sampler sampler;
    private final IntPredicate endOfSequence;

    public Generator(Session session, Sampler sampler, IntPredicate endOfSequence) {
        this.session = session;
        this.sampler = sampler;
        this.endOfSequence = endOfSequence;
    }

    public GenerationResult generate(int[] prompt, int maxNewTokens, TokenSink sink) {
        return generate(prompt, maxNewTokens, done -> { }, sink);
    }

    /** As {@link #generate(int[], int, TokenSink)}, reporting prompt tokens done after each prefill chunk. */
    public GenerationResult generate(int[] prompt, int maxNewTokens, IntConsumer prefillProgress, TokenSink sink) {
        if (maxNewTokens < 0) throw new IllegalArgumentException("number of tokens to predict must be >= 0, got " + maxNewTokens);
        float[] logits = session.prefill(prompt, prefillProgress);
        int[] generated = new int[Math.min(maxNewTokens, 1 << 16)];
        int count = 0;
        int previous = prompt[prompt.length - 1];
        StopReason reason = StopReason.LENGTH;
        while (count < maxNewTokens) {
            int next = sampler.sample(logits);
            if (endOfSequence.test(next)) {
                reason = StopReason.END_OF_SEQUENCE;
                break;
            }
            if (count == generated.length) generated = Arrays.copyOf(generated, generated.length * 2);
            generated[count++] = next;
            sink.accept(previous, next);
            previous = next;
            if (count == maxNewTokens) break;
            if (session.full()) {
                reason = StopReason.CONTEXT_FULL;
                break;
            }
            logits = session.decode(next);
        }
        return new GenerationResult(prompt, Arrays.copyOf(generated, count), reason, session.timings());
    }
}
