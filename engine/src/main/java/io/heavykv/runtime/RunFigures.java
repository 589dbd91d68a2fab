package io.heavykv.runtime;

import io.heavykv.eviction.EvictionStats;

/**
 * The figures a run reports: speed, what eviction kept, and memory.
 *
 * @param kvResidentBytes   K/V bytes the cache holds at the end of the run
 * @param peakProcessBytes  peak resident memory of the whole process (weights mapped in included)
 */
public record RunFigures(Timings timings, EvictionStats eviction, long kvResidentBytes, long peakProcessBytes) {
}
