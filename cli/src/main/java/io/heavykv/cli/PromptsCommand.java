package io.heavykv.cli;

import io.heavykv.bench.BenchConfig;
import io.heavykv.bench.BenchJson;
import io.heavykv.bench.BenchRunner;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.gate.GateSpec;
import io.heavykv.bench.prompts.PromptFile;
import io.heavykv.bench.prompts.PromptSampler;
import io.heavykv.bench.prompts.PromptSet;
import io.heavykv.bench.prompts.PromptSummary;
import io.heavykv.files.OutputFile;
import io.heavykv.runtime.Engine;
import io.heavykv.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code heavykv prompts}: real prompts by length bucket, one record per prompt and configuration, a summary,
 * optional gates. A prompt that fails is recorded with its error and the run goes on.
 */
@Command(name = "prompts", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run real prompt files grouped by token-length bucket (128/512/2048/long) and summarise.",
                "The context is raised to fit each prompt plus generation: stories260K (trained on 512) then runs past its",
                "trained length with absolute positions, which measures speed and memory but not quality there;",
                "--kv-positions relative with an evicting policy keeps positions inside the cache instead.",
                "Exit code 3 when a gate fails.",
                "Examples:",
                "  heavykv prompts --buckets 128,512 --max-per-bucket 2 -n 32 --kv-policy h2o --with-baseline --max-decode-drop 0.10",
                "  heavykv prompts --prompts 'my-prompts/prompt_???_*.txt' --sample sequential --max-prompts 6 --summary s.json"})
final class PromptsCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--prompts", paramLabel = "DIR|GLOB", description = "Prompt directory (its manifest.jsonl, else *.txt) or glob. Default: the bundled prompts.")
    String prompts;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Prompt manifest (JSON lines: file, bucket or tokens).")
    Path manifest;

    @Option(names = "--buckets", split = ",", paramLabel = "B", description = "Buckets to run, in order (default: 128,512,2048,long).")
    List<String> buckets = new ArrayList<>();

    @Option(names = "--sample", paramLabel = "MODE", defaultValue = "STRATIFIED", description = "stratified (one per bucket in turn) or sequential (default: ${DEFAULT-VALUE}).")
    PromptSampler.Mode sample;

    @Option(names = "--max-per-bucket", paramLabel = "N", defaultValue = "0", description = "Most prompts per bucket; 0 = all (default: ${DEFAULT-VALUE}).")
    int maxPerBucket;

    @Option(names = "--max-prompts", paramLabel = "N", defaultValue = "0", description = "Most prompts overall; 0 = all (default: ${DEFAULT-VALUE}).")
    int maxPrompts;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "32", description = "Decode steps per prompt (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", defaultValue = "0", description = "Context length; 0 = the model's, raised to fit prompt + generation (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = {"-b", "--batch"}, paramLabel = "N", defaultValue = "64", description = "Prompt tokens per prefill step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--summary", paramLabel = "FILE", description = "Write the summary and gate verdict as JSON to FILE.")
    Path summaryFile;

    @Mixin
    RecordOutput output = new RecordOutput();

    @Mixin
    GateOptions gates = new GateOptions();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        GateSpec spec = gates.requested();
        List<BenchConfig> configs = configOptions.configs();
        List<RunRecord> records = new ArrayList<>();
        Path modelPath = modelOptions.modelPath();
        try (Engine engine = modelOptions.load(modelPath)) {
            Tokenizer tokenizer = engine.tokenizer();
            List<PromptFile> chosen = PromptSampler.select(promptFiles(tokenizer), buckets, sample, maxPerBucket, maxPrompts);
            if (chosen.isEmpty()) throw new IllegalArgumentException("no prompts left after bucket selection " + buckets);
            BenchRunner runner = new BenchRunner(engine, modelPath, "prompts", context, batch);
            if (!output.quiet) System.err.println(chosen.size() + " prompts x " + configs.size() + " configurations, " + tokens + " decode steps each");
            runner.run(configs.get(0), tokenizer.encode(chosen.get(0).text(), true, false), "warmup", null, Math.min(tokens, 8), 0);
            try (RecordOutput.Sink sink = output.open(out, modelPath);
                 Progress progress = Progress.start("prompts", (long) chosen.size() * configs.size(), output.quiet)) {
                int done = 0;
                for (PromptFile prompt : chosen) {
                    int[] ids = tokenizer.encode(prompt.text(), true, false);
                    for (BenchConfig config : configs) {
                        RunRecord record = runner.run(config, ids, prompt.name(), prompt.bucket(), tokens, 1);
                        records.add(record);
                        sink.accept(record);
                        progress.update(++done);
                    }
                }
            }
        }
        List<PromptSummary> summaries = PromptSummary.of(records);
        out.println();
        summaries.forEach(s -> s.print(out));
        int exit = spec.enabled() ? gates.judge(spec, records, out) : 0;
        if (summaryFile != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", modelPath.getFileName().toString());
            report.put("summaries", summaries);
            if (spec.enabled()) report.put("gates", io.heavykv.bench.gate.Gates.evaluate(spec, records));
            String json = BenchJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report);
            OutputFile.write(summaryFile, temporary -> Files.writeString(temporary, json), modelPath);
        }
        return exit;
    }

    private List<PromptFile> promptFiles(Tokenizer tokenizer) throws java.io.IOException {
        if (manifest != null && prompts != null) throw new IllegalArgumentException("give --prompts or --manifest, not both");
        if (manifest != null) return PromptSet.manifest(manifest, text -> tokenizer.encode(text, false, false).length);
        if (prompts != null) return PromptSet.find(prompts, text -> tokenizer.encode(text, false, false).length);
        return PromptSet.bundled();
    }

}
