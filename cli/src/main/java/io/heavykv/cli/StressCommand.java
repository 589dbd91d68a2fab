package io.heavykv.cli;

import io.heavykv.bench.CacheVariant;
import io.heavykv.bench.RecordWriter;
import io.heavykv.bench.quality.EvalTexts;
import io.heavykv.bench.stress.StressPoint;
import io.heavykv.bench.stress.StressRecords;
import io.heavykv.bench.stress.StressReport;
import io.heavykv.bench.stress.StressRun;
import io.heavykv.bench.stress.StressRunner;
import io.heavykv.files.InputFiles;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static io.heavykv.cli.MarkdownTable.f;

/**
 * {@code heavykv stress}: grow one sequence per configuration (prefill a prompt, then greedy decode one
 * token at a time) and record KV memory and time per token at each length, stopping a configuration
 * cleanly when its cache exceeds --kv-budget-mb.
 */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = {"Long-context stress: KV memory, process memory and TPOT per sequence length for the full cache,",
                "StreamingLLM and H2O at one KV budget; a configuration over --kv-budget-mb stops there."})
final class StressCommand implements Callable<Integer> {
    private static final String STORE_SUFFIX = "+store";

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    CacheOptions cacheOptions = new CacheOptions();

    @Option(names = "--lengths", paramLabel = "N", split = ",", defaultValue = "1024,2048,4096,8192,16384",
            description = "Sequence lengths (prompt included) at which to record (default: ${DEFAULT-VALUE}).")
    List<Integer> lengths;

    @Option(names = "--quick", description = "Lengths 512,1024,2048 instead.")
    boolean quick;

    @Option(names = "--long-run", description = "The long-context run: the 2048-token prose prompt prose_2048_1, then --generate tokens, recorded every --every.")
    boolean longRun;

    @Option(names = "--generate", paramLabel = "N", defaultValue = "8192", description = "--long-run: tokens generated after the prompt (default: ${DEFAULT-VALUE}).")
    int generate;

    @Option(names = "--every", paramLabel = "N", defaultValue = "256", description = "--long-run: generated tokens between two recorded points (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Prompt file (default: bundled prompt_128_1.txt).")
    Path promptFile;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "256",
            description = "KV budget in tokens per layer for StreamingLLM (sink --sink) and H2O (capacity) (default: ${DEFAULT-VALUE}).")
    int budget;

    @Option(names = "--policies", paramLabel = "P", split = ",", defaultValue = "streaming,h2o,full",
            description = {"Configurations, run in this order (default: ${DEFAULT-VALUE}; full last so its memory does not raise the others' process peak);",
                    "POLICY+store is the policy with its kept pages in lossless store mode (the --kv-lossless-* settings, mode store)."})
    List<String> policies;

    @Option(names = "--kv-budget-mb", paramLabel = "MB", defaultValue = "0",
            description = "Stop a configuration once its K/V bytes exceed this many MB (10^6 bytes); 0 = no limit (default: ${DEFAULT-VALUE}).")
    double kvBudgetMb;

    @Option(names = {"-b", "--batch"}, paramLabel = "N", defaultValue = "64", description = "Prompt tokens per prefill step (default: ${DEFAULT-VALUE}).")
    int prefillChunk;

    @Option(names = "--from", paramLabel = "FILE", split = ",",
            description = "Run nothing: tabulate and chart the runs these stress.jsonl/long_run.jsonl files recorded (e.g. one configuration per process).")
    List<Path> from;

    @Mixin
    MeasureOutput output = new MeasureOutput();

    @Override
    public Integer call() throws Exception {
        long budgetBytes = KvBudget.bytes(kvBudgetMb, true);
        boolean lengthsGiven = spec.commandLine().getParseResult().hasMatchedOption("--lengths");
        if (lengthsGiven && (quick || longRun)) {
            throw new IllegalArgumentException("--lengths and " + (quick ? "--quick" : "--long-run") + " both choose the lengths: give one");
        }
        if (from != null && !from.isEmpty()) return render(StressRecords.report(from));
        try (Engine engine = modelOptions.load();
             RecordWriter records = RecordWriter.in(output.out, longRun ? "long_run.jsonl" : "stress.jsonl")) {
            int[] prompt = prompt(engine);
            List<Integer> checkpoints = checkpoints(prompt.length);
            KvCacheConfig storage = cacheOptions.storage();
            List<CacheVariant> variants = variants(storage);
            StressRunner runner = new StressRunner(engine, prompt, checkpoints, budgetBytes, prefillChunk);
            int perRun = checkpoints.getLast();
            StressReport report;
            try (Progress progress = Progress.start("stress", (long) perRun * variants.size(), output.silent())) {
                int[] finished = {0};
                report = runner.runAll(variants,
                        (label, tokens, total) -> progress.update(finished[0] * perRun + tokens),
                        run -> {
                            finished[0]++;
                            records.write(run);
                        });
            }
            if (output.out != null) BenchCharts.write(output.out, report, longRun ? "long_run_" : "");
            if (output.out != null && longRun) BenchCharts.writeLongContext(output.out, report);
            if (output.json) {
                Json.print(System.out, report);
            } else {
                print(report, prompt.length);
            }
        }
        return 0;
    }

    private int render(StressReport report) throws java.io.IOException {
        if (output.out != null) {
            BenchCharts.write(output.out, report, longRun ? "long_run_" : "");
            BenchCharts.writeLongContext(output.out, report);
        }
        if (output.json) {
            Json.print(System.out, report);
        } else {
            print(report, report.runs().getFirst().promptTokens());
        }
        return 0;
    }

    /** The --policies entries in order, a {@code +store} suffix adding store mode to its policy. */
    private List<CacheVariant> variants(KvCacheConfig storage) {
        LosslessConfig store = storage.lossless().withMode(LosslessMode.STORE);
        List<CacheVariant> variants = new ArrayList<>();
        for (String entry : policies) {
            boolean stored = entry.endsWith(STORE_SUFFIX);
            String name = stored ? entry.substring(0, entry.length() - STORE_SUFFIX.length()) : entry;
            for (String policy : CacheOptions.expand(List.of(name))) {
                CacheVariant variant = cacheOptions.variant(policy, storage, budget);
                variants.add(stored ? variant.withLossless(store) : variant);
            }
        }
        return variants;
    }

    private int[] prompt(Engine engine) throws java.io.IOException {
        if (promptFile != null) return engine.tokenizer().encode(InputFiles.readText(promptFile, "prompt file"), true, false);
        return EvalTexts.prompt(engine.tokenizer(), longRun ? "prose_2048_1.txt" : "prompt_128_1.txt");
    }

    private List<Integer> checkpoints(int promptTokens) {
        if (longRun) {
            if (generate < 1 || every < 1) throw new IllegalArgumentException("--generate and --every must be positive, got " + generate + " and " + every);
            List<Integer> points = new ArrayList<>();
            for (int generated = 0; generated < generate; generated += every) points.add(promptTokens + generated);
            points.add(promptTokens + generate);
            return points;
        }
        List<Integer> chosen = quick ? List.of(512, 1024, 2048) : lengths;
        List<Integer> points = new ArrayList<>();
        if (chosen.getFirst() > promptTokens) points.add(promptTokens);
        points.addAll(chosen);
        return points;
    }

    private static void print(StressReport report, int promptTokens) {
        System.out.println(f("prompt %d tokens, then greedy decode; %s positions; KV budget %s", promptTokens, report.positions(),
                report.kvBudgetBytes() > 0 ? f("%.2f MB", report.kvBudgetBytes() / 1e6) : "none"));
        List<String> headers = new ArrayList<>(List.of("tokens"));
        for (StressRun run : report.runs()) headers.add(run.label() + " KV MB");
        for (StressRun run : report.runs()) headers.add(run.label() + " TPOT ms");
        MarkdownTable table = new MarkdownTable(headers.toArray(String[]::new));
        for (int length : report.checkpoints()) {
            List<Object> row = new ArrayList<>(List.of(length));
            for (StressRun run : report.runs()) row.add(cell(run, length, p -> f("%.3f", p.kvBytes() / 1e6)));
            for (StressRun run : report.runs()) row.add(cell(run, length, p -> p.tpotMillis() == 0 ? "-" : f("%.3f", p.tpotMillis())));
            table.row(row.toArray());
        }
        table.print(System.out);
        System.out.println();
        MarkdownTable summary = new MarkdownTable("configuration", "tokens reached", "peak KV MB", "decode tok/s", "peak process RSS MB", "note");
        for (StressRun run : report.runs()) {
            long peakRss = run.points().isEmpty() ? 0 : run.points().getLast().peakProcessBytes();
            summary.row(run.label(), run.tokensReached(), f("%.3f", run.peakKvBytes() / 1e6), f("%.1f", run.decodeTokensPerSecond()),
                    f("%.1f", peakRss / 1e6), run.exceededBudget() ? run.budgetNote() : "within budget");
        }
        summary.print(System.out);
    }

    private static String cell(StressRun run, int length, java.util.function.Function<StressPoint, String> value) {
        for (StressPoint p : run.points()) if (p.tokens() == length) return value.apply(p);
        return run.exceededBudget() && length > run.exceededAt() ? "over budget" : "-";
    }
}
