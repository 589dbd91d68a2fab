package io.heavykv.bench;

/**
 * The figures of one measured run, flat so that one record is one CSV row and one JSON line. Field names
 * (snake_case in files) are a stable interface: scripts, gates and history files key on them, so add
 * fields at the end and never rename.
 *
 * <p>Lossless figures are boxed and {@code null} when the run had no lossless compression: "not measured"
 * must not read as zero.
 *
 * @param suite               which command produced the record: bench, sweep or prompts
 * @param timestamp           ISO-8601 UTC time the run finished
 * @param machine             CPU model and core count, see {@link Machine#key()}
 * @param promptId            what was fed: {@code text:N}, {@code random:N} or a prompt file name
 * @param bucket              prompt length bucket (prompts runs), else {@code null}
 * @param status              {@code pass} or {@code fail}; a failed run's figures are those measured before the error
 * @param generatedTokens     decode steps run (each feeds one greedily chosen token)
 * @param attentionUsPerStep  average wall time inside attention per decode step, all layers
 * @param attentionShare      decode time spent inside attention
 * @param peakProcessBytes    peak resident set of the process during the run (mapped weights included)
 * @param peakHeapBytes       peak Java heap use during the run
 * @param kvResidentBytes     K/V bytes held at the end of the run
 * @param kvPeakBytes         largest K/V footprint at a step boundary
 * @param losslessRatio       raw / compressed bytes of the pages eligible for lossless compression at the end of the
 *                            run, encoded afresh in order (deterministic: see LosslessRuntime#settled); the raw and
 *                            compressed megabytes are of those pages too
 * @param totalRatio          lossy ratio times lossless ratio
 * @param losslessEncodeUs    encode time over the run (worker time, verification included)
 * @param losslessDecodeUs    frame decode time over the run (restores, verification): the "decomp" budget
 * @param losslessDecodeMaxUs longest single page decode
 * @param losslessMode        probe, full or store; {@code null} when lossless was off
 * @param losslessHeldBytes   K/V bytes held in all at the end of the run: resident pages, frames and decode caches
 *                            (what store mode really saves against {@code kvResidentBytes} of a run without it)
 * @param losslessHookUs      wall time the decode steps spent in the lossless runtime's hooks: its direct cost
 *                            on the decode critical path; the encode workers' competition for cores is not in it
 */
public record RunRecord(
        String suite,
        String timestamp,
        String machine,
        String model,
        String configId,
        String promptId,
        String bucket,
        int promptTokens,
        int generatedTokens,
        int repeat,
        String status,
        String error,
        double prefillTokS,
        double decodeTokS,
        double ttftMs,
        double tpotMs,
        double attentionUsPerStep,
        double attentionShare,
        long peakProcessBytes,
        long peakHeapBytes,
        long kvResidentBytes,
        long kvPeakBytes,
        int tokensSeen,
        double keepRatio,
        double lossyRatio,
        double evictingLossyRatio,
        long quantizedKeep,
        long plansApplied,
        long plansRejected,
        long evictionUs,
        Double losslessRawMb,
        Double losslessCompMb,
        Double losslessRatio,
        Double totalRatio,
        Double losslessEncodeUs,
        Double losslessDecodeUs,
        Long losslessFallbacks,
        Long losslessQueuePeak,
        Double losslessAsyncWaitUs,
        Long losslessCacheHits,
        Long losslessCacheMisses,
        String losslessMode,
        Double losslessDecodeMaxUs,
        Long losslessRestores,
        Long losslessHeldBytes,
        Double losslessHookUs) {

    public static final String PASS = "pass";
    public static final String FAIL = "fail";

    public boolean passed() { return PASS.equals(status); }

    /** Whether the run measured lossless compression at all. */
    public boolean hasLossless() { return losslessRatio != null; }
}
