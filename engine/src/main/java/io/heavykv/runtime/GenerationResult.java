package io.heavykv.runtime;

import java.util.Arrays;

/** What one generation produced and how long it took. */
public record GenerationResult(int[] prompt, int[] generated, StopReason stopReason, Timings timings) {

    /** The whole sequence: the prompt followed by the generated tokens (what a reader sees as text). */
    public int[] tokens() {
        int[] all = Arrays.copyOf(prompt, prompt.length + generated.length);
        System.arraycopy(generated, 0, all, prompt.length, generated.length);
        return all;
    }
}
