package io.heavykv.cli;

import io.heavykv.eviction.EvictionStats;
import io.heavykv.lossless.LosslessStats;
import io.heavykv.runtime.RunFigures;
import io.heavykv.runtime.Timings;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The run's figures as an aligned two-column table for people. */
final class FigureTable {
    private FigureTable() {
    }

    static void print(PrintStream out, RunFigures figures) {
        Map<String, String> rows = new LinkedHashMap<>();
        Timings t = figures.timings();
        EvictionStats e = figures.eviction();
        rows.put("prefill", format("%d tokens, %.1f tok/s", t.prefillTokens(), t.prefillTokensPerSecond()));
        rows.put("decode", format("%d tokens, %.1f tok/s", t.decodeTokens(), t.decodeTokensPerSecond()));
        rows.put("TTFT / TPOT", format("%.1f ms / %.2f ms", t.ttftMillis(), t.tpotMillis()));
        rows.put("tokens seen", Integer.toString(e.tokensSeen()));
        rows.put("keep ratio", format("%.4f", e.keepRatio()));
        rows.put("lossy ratio", format("%.3fx (evicting layers %.3fx)", e.lossyRatio(), e.evictingLossyRatio()));
        rows.put("keep floor/effective/quantized", format("%d / %d / %d", e.floorKeep(), e.effectiveKeep(), e.quantizedKeep()));
        rows.put("plans applied/rejected", format("%d / %d%s", e.plansApplied(), e.plansRejected(),
                e.lastRejection().isEmpty() ? "" : " (last: " + e.lastRejection() + ")"));
        rows.put("eviction time", format("%d us", e.evictionMicros()));
        rows.put("KV resident / peak", format("%.3f MB / %.3f MB", figures.kvResidentBytes() / 1e6, e.peakResidentBytes() / 1e6));
        lossless(rows, figures.lossless());
        rows.put("process peak memory", format("%.1f MB", figures.peakProcessBytes() / 1e6));
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        out.println();
        rows.forEach((name, value) -> out.println(String.format(Locale.ROOT, "%-" + width + "s  %s", name, value)));
    }

    private static void lossless(Map<String, String> rows, LosslessStats l) {
        if (l.mode().equals("off")) return;
        rows.put("lossless mode", l.mode());
        rows.put("lossless raw / stored", format("%.3f MB / %.3f MB (%d pages framed, %d released)", l.rawMegabytes(),
                l.storedMegabytes(), l.framedPages(), l.releasedPages()));
        rows.put("lossless ratio", format("%.3fx (total lossy x lossless %.3fx)", l.losslessRatio(), l.totalRatio()));
        rows.put("lossless on all kept KV", format("%.3fx (hot zones and pages not yet framed count raw; models, decode caches count)",
                l.keptRatio()));
        rows.put("lossless models", format("%.3f MB (dictionaries, context models, trainers; on top of stored)", l.modelBytes() / 1e6));
        rows.put("KV held", format("%.3f MB (resident pages %.3f MB, frames, decode caches, models, queued copies)",
                l.heldBytes() / 1e6, l.residentBytes() / 1e6));
        rows.put("encode / decode time", format("%d us (max %d) / %d us (max %d)", l.encodeMicros(), l.encodeMaxMicros(),
                l.decodeMicros(), l.decodeMaxMicros()));
        rows.put("fallbacks / decode failures", format("%d / %d", l.fallbacks(), l.decodeFailures()));
        rows.put("queue peak / skipped / async wait", format("%d / %d / %d us", l.queuePeak(), l.skippedBackpressure(),
                l.asyncWaitMicros()));
        rows.put("decode cache hits / misses", format("%d / %d (%d restores)", l.decodeCacheHits(), l.decodeCacheMisses(),
                l.restores()));
        rows.put("codec wins", l.codecWins().toString());
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
