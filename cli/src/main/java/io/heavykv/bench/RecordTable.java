package io.heavykv.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Records as an aligned table for people, printed row by row as runs finish (a long sweep shows its
 * progress in figures, not only in a bar).
 */
public final class RecordTable {
    private static final String ROW = "%-22s %-16s %6s %5s %3s %10s %10s %9s %8s %9s %6s %7s %9s %8s %s";

    private RecordTable() {
    }

    public static void printHeader(PrintStream out) {
        out.println(String.format(Locale.ROOT, ROW, "config", "prompt", "p_tok", "gen", "rep", "prefill/s", "decode/s",
                "TTFT ms", "TPOT ms", "attn us", "keep", "lossy", "KV pk MB", "RSS MB", "status / lossless"));
    }

    public static void printRow(PrintStream out, RunRecord r) {
        String tail = r.passed() ? (r.hasLossless() ? String.format(Locale.ROOT, "lossless %.3fx total %.3fx",
                r.losslessRatio(), r.totalRatio()) : "") : "FAIL: " + r.error();
        out.println(String.format(Locale.ROOT, ROW, clip(r.configId(), 22), clip(r.promptId(), 16), r.promptTokens(),
                r.generatedTokens(), r.repeat(), fixed(r.prefillTokS(), 1), fixed(r.decodeTokS(), 2), fixed(r.ttftMs(), 1),
                fixed(r.tpotMs(), 2), fixed(r.attentionUsPerStep(), 1), fixed(r.keepRatio(), 3), fixed(r.lossyRatio(), 3),
                fixed(r.kvPeakBytes() / 1e6, 3), fixed(r.peakProcessBytes() / 1e6, 0), tail).stripTrailing());
        out.flush();
    }

    public static void print(PrintStream out, List<RunRecord> records) {
        printHeader(out);
        for (RunRecord r : records) printRow(out, r);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String clip(String s, int width) {
        if (s == null) return "-";
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }
}
