package io.heavykv.runtime;

/** What one generation produced and how long it took. */
public record GenerationResult(int[] prompt, int[] generated, StopReason stopReason, Timings timings) {
}
