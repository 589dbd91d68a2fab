package io.heavykv.cli;

import io.heavykv.bench.CacheVariant;
import io.heavykv.bench.RecordWriter;
import io.heavykv.bench.quality.EvalText;
import io.heavykv.bench.quality.EvalTexts;
import io.heavykv.bench.quality.PerplexityEvaluator;
import io.heavykv.bench.quality.PerplexityReport;
import io.heavykv.bench.quality.PerplexityResult;
import io.heavykv.bench.quality.WindowResult;
import io.heavykv.eviction.ScheduledConfig;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static io.heavykv.cli.MarkdownTable.f;

/**
 * {@code heavykv ppl}: perplexity and KL divergence against the full cache for every chosen policy at
 * equal KV budgets, one token per step so eviction really acts.
 */
@Command(name = "ppl", mixinStandardHelpOptions = true,
        description = {"Perplexity and KL divergence vs the full cache of eviction policies at equal KV budgets.",
                "Texts are cut into windows of --ctx tokens (BOS + text), each from an empty cache at position 0;",
                "every token is fed as its own decode step through the real cache policy."})
final class PplCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    CacheOptions cacheOptions = new CacheOptions();

    @Option(names = {"-f", "--text"}, paramLabel = "FILE", description = "UTF-8 text to score (repeatable). Default: the bundled held-out texts.")
    List<Path> textFiles = new ArrayList<>();

    @Option(names = "--bundled", paramLabel = "NAME", split = ",",
            description = "Bundled texts to score, e.g. eval_2.txt, or heldout_persuasion.txt, the held-out prose for real models (default: the eval_ texts).")
    List<String> bundled = new ArrayList<>();

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", defaultValue = "512",
            description = "Tokens per window including BOS; 0 = each text whole (default: ${DEFAULT-VALUE}, stories260K's trained context).")
    int windowTokens;

    @Option(names = "--budgets", paramLabel = "N", split = ",", defaultValue = "96,168,256",
            description = "KV budgets in tokens per layer; each gives a row per policy of --policies at that capacity (default: ${DEFAULT-VALUE}).")
    List<Integer> budgets;

    @Option(names = "--policies", paramLabel = "P", split = ",", defaultValue = "streaming,h2o",
            description = "Policies compared with the full cache, by registered name, or all (default: ${DEFAULT-VALUE}).")
    List<String> policies;

    @Option(names = "--lossy", paramLabel = "R", split = ",",
            description = "Instead of --budgets: budgets of --ctx / R tokens (rounded down), so each row's lossy ratio at the end of a window is at least R (e.g. 2,3,5).")
    List<Double> lossy = new ArrayList<>();

    @Option(names = "--tail", paramLabel = "N", defaultValue = "0",
            description = "Score only the last N tokens of each window, feeding the rest as a prompt in chunks of 64 (default: every token).")
    int tail;

    @Option(names = "--windows", paramLabel = "N", defaultValue = "0",
            description = "Score only the first N windows of each text (default: all).")
    int maxWindows;

    @Option(names = "--no-ratio-row", description = "Leave out the rows of the scoring policies keeping --h2o-keep-ratio of the tokens seen.")
    boolean noRatioRow;

    @Mixin
    MeasureOutput output = new MeasureOutput();

    @Override
    public Integer call() throws Exception {
        try (Engine engine = modelOptions.load();
             RecordWriter records = RecordWriter.in(output.out, "ppl.jsonl")) {
            List<EvalText> texts = texts(engine);
            KvCacheConfig storage = cacheOptions.storage();
            List<CacheVariant> variants = variants(storage);
            PerplexityEvaluator evaluator = new PerplexityEvaluator(engine, storage, windowTokens, tail);
            PerplexityReport report;
            try (Progress progress = Progress.start("ppl", evaluator.steps(texts), output.silent())) {
                report = evaluator.evaluate(texts, variants, new PerplexityEvaluator.Listener() {
                    @Override
                    public void step(long done, long total) { progress.update((int) done); }

                    @Override
                    public void window(WindowResult result) { records.write(new Record("window", result)); }
                });
            }
            records.write(new Record("summary", report));
            if (output.out != null) BenchCharts.write(output.out, report);
            if (output.json) {
                Json.print(System.out, report);
            } else {
                print(report);
            }
        }
        return 0;
    }

    /** One line of ppl.jsonl: what it is, then the data. */
    record Record(String kind, Object data) {
    }

    private List<EvalText> texts(Engine engine) throws java.io.IOException {
        List<EvalText> texts = new ArrayList<>();
        for (Path file : textFiles) texts.add(EvalTexts.file(engine.tokenizer(), file));
        for (String name : bundled) texts.add(EvalTexts.bundled(engine.tokenizer(), name));
        if (texts.isEmpty()) texts = EvalTexts.bundled(engine.tokenizer());
        if (maxWindows < 0) throw new IllegalArgumentException("--windows " + maxWindows + ": a count of windows is not negative");
        if (maxWindows == 0 || windowTokens == 0) return texts;
        int tokens = maxWindows * (windowTokens - 1);
        return texts.stream().map(t -> t.length() <= tokens ? t : new EvalText(t.name(), t.slice(0, tokens))).toList();
    }

    /** Every policy but the full cache (the reference) at each budget, then the ratio rows. */
    private List<CacheVariant> variants(KvCacheConfig storage) {
        List<String> names = CacheOptions.expand(policies).stream().filter(n -> !n.equals("full")).toList();
        List<CacheVariant> variants = new ArrayList<>();
        for (int budget : budgets()) {
            for (String name : names) variants.add(cacheOptions.variant(name, storage, budget));
        }
        if (noRatioRow) return variants;
        for (String name : names) {
            if (cacheOptions.policyConfig(name, false) instanceof ScheduledConfig scheduled) {
                variants.add(CacheVariant.ratio(storage, scheduled.withSchedule(scheduled.schedule().withMaxKeepTokens(0))));
            }
        }
        return variants;
    }

    private List<Integer> budgets() {
        if (lossy.isEmpty()) return budgets;
        if (windowTokens == 0) throw new IllegalArgumentException("--lossy needs windows of a fixed length (--ctx N)");
        List<Integer> fromRatios = new ArrayList<>();
        for (double ratio : lossy) {
            if (!(ratio >= 1)) throw new IllegalArgumentException("--lossy " + ratio + ": a lossy ratio is at least 1");
            fromRatios.add((int) Math.floor(windowTokens / ratio));
        }
        return fromRatios;
    }

    private static void print(PerplexityReport report) {
        System.out.println(f("texts %s, windows of %s tokens, %s positions, KL against the full cache in nats",
                report.texts(), report.windowTokens() == 0 ? "whole-text" : report.windowTokens(),
                report.positions().name().toLowerCase()));
        MarkdownTable table = new MarkdownTable("configuration", "perplexity", "Δ vs full", "mean KL", "max KL",
                "keep ratio", "lossy ratio", "lossy (evicting)", "mean attended", "tokens");
        for (PerplexityResult r : report.rows()) {
            table.row(r.label(), f("%.4f", r.perplexity()), f("%+.4f (%+.2f%%)", r.perplexityDelta(), 100 * r.perplexityRelative()),
                    f("%.5f", r.meanKl()), f("%.4f", r.maxKl()), f("%.4f", r.keepRatio()), f("%.2fx", r.lossyRatio()),
                    f("%.2fx", r.evictingLossyRatio()), f("%.1f", r.meanAttendedTokens()), r.tokensScored());
        }
        table.print(System.out);
    }
}
