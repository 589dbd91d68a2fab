package io.heavykv.bench.stress;

/**
 * A configuration's state when the sequence reached {@code tokens} tokens.
 *
 * @param kvBytes          K/V bytes the cache holds now (whole pages, all layers; with lossless compression also
 *                         its frames, models and decode caches)
 * @param heldTokens       tokens per layer the cache holds now (mean over layers)
 * @param tpotMillis       mean decode time per token since the previous point
 * @param processRssBytes  resident memory of the whole process now
 * @param peakProcessBytes peak resident memory of the process since it started (all runs so far)
 */
public record StressPoint(int tokens, long kvBytes, double heldTokens, double tpotMillis, long processRssBytes, long peakProcessBytes) {
}
