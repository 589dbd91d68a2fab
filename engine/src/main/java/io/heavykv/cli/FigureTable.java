package io.heavykv.cli;

import io.heavykv.eviction.EvictionStats;
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
        rows.put("process peak memory", format("%.1f MB", figures.peakProcessBytes() / 1e6));
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        out.println();
        rows.forEach((name, value) -> out.println(String.format(Locale.ROOT, "%-" + width + "s  %s", name, value)));
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
