package io.heavykv.bench;

/** Run records with chosen figures, for tests of writers and gates. */
public final class TestRecords {
    private TestRecords() {
    }

    public static RunRecord plain(String machine, String config, String prompt, double decodeTokS, double lossyRatio) {
        return new RunRecord("bench", "2026-01-01T00:00:00Z", machine, "m.bin", config, prompt, null, 128, 32, 1,
                RunRecord.PASS, null, 1000, decodeTokS, 12.5, 1000 / Math.max(decodeTokS, 1e-9), 42.0, 0.25,
                100_000_000L, 50_000_000L, 4096, 8192, 160, 1 / lossyRatio, lossyRatio, lossyRatio, 40, 3, 0, 77,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static RunRecord plain(String config, double decodeTokS, double lossyRatio) {
        return plain("cpu x2", config, "text:128", decodeTokS, lossyRatio);
    }

    /** A passing run of {@code config} on {@code prompt} in {@code repeat} with these speeds. */
    public static RunRecord speeds(String config, String prompt, int repeat, double prefillTokS, double decodeTokS) {
        RunRecord r = plain("cpu x2", config, prompt, decodeTokS, 1);
        return copy(r, repeat, r.status(), r.error(), prefillTokS);
    }

    public static RunRecord failed(String config, String error) {
        RunRecord r = plain(config, 0, 1);
        return copy(r, RunRecord.FAIL, error);
    }

    public static RunRecord withLossless(RunRecord r, double ratio, double decodeUs, long queuePeak, long fallbacks, long cacheHits) {
        return new RunRecord(r.suite(), r.timestamp(), r.machine(), r.model(), r.configId(), r.promptId(), r.bucket(),
                r.promptTokens(), r.generatedTokens(), r.repeat(), r.status(), r.error(), r.prefillTokS(), r.decodeTokS(),
                r.ttftMs(), r.tpotMs(), r.attentionUsPerStep(), r.attentionShare(), r.peakProcessBytes(), r.peakHeapBytes(),
                r.kvResidentBytes(), r.kvPeakBytes(), r.tokensSeen(), r.keepRatio(), r.lossyRatio(), r.evictingLossyRatio(),
                r.quantizedKeep(), r.plansApplied(), r.plansRejected(), r.evictionUs(),
                1.5, 1.5 / ratio, ratio, ratio * r.lossyRatio(), 10.0, decodeUs, fallbacks, queuePeak, 3.5, cacheHits, 2L,
                "full", decodeUs / 4, 6L, r.kvResidentBytes() + 1000L, 2 * decodeUs);
    }

    /** The same record as measured in another repeat. */
    public static RunRecord inRepeat(RunRecord r, int repeat) {
        return copy(r, repeat, r.status(), r.error());
    }

    private static RunRecord copy(RunRecord r, String status, String error) {
        return copy(r, r.repeat(), status, error);
    }

    private static RunRecord copy(RunRecord r, int repeat, String status, String error) {
        return copy(r, repeat, status, error, r.prefillTokS());
    }

    private static RunRecord copy(RunRecord r, int repeat, String status, String error, double prefillTokS) {
        return new RunRecord(r.suite(), r.timestamp(), r.machine(), r.model(), r.configId(), r.promptId(), r.bucket(),
                r.promptTokens(), r.generatedTokens(), repeat, status, error, prefillTokS, r.decodeTokS(),
                r.ttftMs(), r.tpotMs(), r.attentionUsPerStep(), r.attentionShare(), r.peakProcessBytes(), r.peakHeapBytes(),
                r.kvResidentBytes(), r.kvPeakBytes(), r.tokensSeen(), r.keepRatio(), r.lossyRatio(), r.evictingLossyRatio(),
                r.quantizedKeep(), r.plansApplied(), r.plansRejected(), r.evictionUs(), r.losslessRawMb(), r.losslessCompMb(),
                r.losslessRatio(), r.totalRatio(), r.losslessEncodeUs(), r.losslessDecodeUs(), r.losslessFallbacks(),
                r.losslessQueuePeak(), r.losslessAsyncWaitUs(), r.losslessCacheHits(), r.losslessCacheMisses(), r.losslessMode(),
                r.losslessDecodeMaxUs(), r.losslessRestores(), r.losslessHeldBytes(), r.losslessHookUs());
    }
}
