package io.heavykv.runtime;

import io.heavykv.eviction.EvictionStats;
import io.heavykv.lossless.LosslessStats;

/**
 * The figures a run reports: speed, what eviction kept, what lossless compression stored, and memory.
 *
 * @param kvResidentBytes   K/V bytes the cache holds at the end of the run
 * @param peakProcessBytes  peak resident memory of the whole process (weights mapped in included)
 */
public record RunFigures(Timings timings, EvictionStats eviction, LosslessStats lossless, long kvResidentBytes,
                         long peakProcessBytes) {

    /** Figures of a run without lossless compression. */
    public RunFigures(Timings timings, EvictionStats eviction, long kvResidentBytes, long peakProcessBytes) {
        this(timings, eviction, LosslessStats.off(eviction.lossyRatio()), kvResidentBytes, peakProcessBytes);
    }
}
