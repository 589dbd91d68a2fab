package io.heavykv.cli;

import io.heavykv.bench.CacheVariant;
import io.heavykv.bench.RecordWriter;
import io.heavykv.bench.quality.EvalTexts;
import io.heavykv.bench.throughput.ThroughputResult;
import io.heavykv.bench.throughput.ThroughputRunner;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static io.heavykv.cli.MarkdownTable.f;

/** {@code heavykv throughput}: how many sequences fit one KV memory budget per configuration, and their total tokens/s. */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = {"Batch throughput: as many sequences as --kv-budget-mb holds (one session each, stepped round-robin)",
                "for the full cache, StreamingLLM and H2O at one KV budget; reports sequences admitted and total tokens/s."})
final class ThroughputCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    CacheOptions cacheOptions = new CacheOptions();

    @Option(names = "--kv-budget-mb", paramLabel = "MB", defaultValue = "4",
            description = "K/V memory all sequences together may hold, MB of 10^6 bytes (default: ${DEFAULT-VALUE}).")
    double kvBudgetMb;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "512", description = "Tokens each sequence generates (default: ${DEFAULT-VALUE}).")
    int generated;

    @Option(names = "--max-sequences", paramLabel = "N", defaultValue = "64", description = "Cap on sequences per configuration (default: ${DEFAULT-VALUE}).")
    int maxSequences;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "128",
            description = "KV budget in tokens per layer for StreamingLLM and H2O (default: ${DEFAULT-VALUE}).")
    int budget;

    @Option(names = "--policies", paramLabel = "P", split = ",", defaultValue = "full,streaming,h2o",
            description = "Configurations (default: ${DEFAULT-VALUE}).")
    List<String> policies;

    @Option(names = "--prompts", paramLabel = "NAME", split = ",", defaultValue = "prompt_128_1.txt,prompt_128_2.txt,prompt_128_3.txt",
            description = "Bundled prompts handed to the sequences in turn (default: ${DEFAULT-VALUE}).")
    List<String> promptNames;

    @Option(names = {"-b", "--batch"}, paramLabel = "N", defaultValue = "64", description = "Prompt tokens per prefill step (default: ${DEFAULT-VALUE}).")
    int prefillChunk;

    @Mixin
    MeasureOutput output = new MeasureOutput();

    @Override
    public Integer call() throws Exception {
        long budgetBytes = KvBudget.bytes(kvBudgetMb, false);
        try (Engine engine = modelOptions.load();
             RecordWriter records = RecordWriter.in(output.out, "throughput.jsonl")) {
            List<int[]> prompts = promptNames.stream().map(name -> EvalTexts.prompt(engine.tokenizer(), name)).toList();
            ThroughputRunner runner = new ThroughputRunner(engine, prompts, generated, budgetBytes, maxSequences, prefillChunk);
            KvCacheConfig storage = cacheOptions.storage();
            List<ThroughputResult> results = new ArrayList<>();
            for (String name : CacheOptions.expand(policies)) {
                CacheVariant variant = cacheOptions.variant(name, storage, budget);
                ThroughputResult result;
                try (Progress progress = Progress.start("throughput " + variant.label(), generated, output.silent())) {
                    result = runner.run(variant, (label, round, rounds) -> progress.update(round));
                }
                records.write(result);
                results.add(result);
            }
            if (output.json) {
                Json.print(System.out, results);
            } else {
                print(results);
            }
        }
        return 0;
    }

    private static void print(List<ThroughputResult> results) {
        if (results.isEmpty()) return;
        ThroughputResult first = results.getFirst();
        System.out.println(f("KV budget %.2f MB shared by all sequences; %d tokens generated per sequence; sequences stepped round-robin",
                first.kvBudgetBytes() / 1e6, first.generatedPerSequence()));
        MarkdownTable table = new MarkdownTable("configuration", "sequences", "limited by", "KV peak / sequence MB",
                "KV peak total MB", "decode tok/s (all)", "total tok/s incl. prompts", "wall s");
        for (ThroughputResult r : results) {
            table.row(r.label(), r.sequences(), r.limitedBy(), f("%.3f", r.perSequencePeakKvBytes() / 1e6),
                    f("%.3f", r.peakTotalKvBytes() / 1e6), f("%.1f", r.decodeTokensPerSecond()),
                    f("%.1f", r.totalTokensPerSecond()), f("%.1f", r.totalSeconds()));
        }
        table.print(System.out);
    }
}
