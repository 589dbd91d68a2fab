package io.heavykv.bench.reference;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The side-by-side verdict as a text table: each engine's median tok/s and the ratio's median and range. */
public final class ComparisonTable {
    private static final String ROW = "%-12s %-14s %5s | %9s %9s %6s %13s | %9s %9s %6s %13s";

    private ComparisonTable() {
    }

    public static void print(PrintStream out, int threads, List<EngineComparison> comparisons) {
        if (comparisons.isEmpty()) return;
        out.println();
        out.printf(Locale.ROOT, "heavykv / llama.cpp on the same GGUF, interleaved, %d threads (median tok/s; ratio = median of the per-repeat ratios, range = their min..max)%n",
                threads);
        out.println(String.format(Locale.ROOT, ROW, "config", "prompt/gen", "pairs", "prefill hk", "llama.cpp", "ratio", "range",
                "decode hk", "llama.cpp", "ratio", "range"));
        for (EngineComparison c : comparisons) {
            RatioSpread prefill = c.prefill();
            RatioSpread decode = c.decode();
            out.println(String.format(Locale.ROOT, ROW, c.configId(), c.promptId() + "/" + c.generatedTokens(), decode.ratios().size(),
                    fixed(c.heavykvTokS(true), 1), fixed(c.llamaCppTokS(true), 1), fixed(prefill.median(), 3), range(prefill),
                    fixed(c.heavykvTokS(false), 1), fixed(c.llamaCppTokS(false), 1), fixed(decode.median(), 3), range(decode)));
        }
        out.flush();
    }

    private static String range(RatioSpread spread) {
        return fixed(spread.min(), 3) + ".." + fixed(spread.max(), 3);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
