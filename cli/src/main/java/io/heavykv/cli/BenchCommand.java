package io.heavykv.cli;

import io.heavykv.bench.BandwidthProbe;
import io.heavykv.bench.BenchConfig;
import io.heavykv.bench.RunMatrix;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.SyntheticModels;
import io.heavykv.bench.WeightTraffic;
import io.heavykv.bench.gate.GateSpec;
import io.heavykv.bench.reference.LlamaCppTool;
import io.heavykv.bench.reference.SideBySide;
import io.heavykv.runtime.Engine;
import io.heavykv.tensor.Parallel;
import io.heavykv.tensor.TensorType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code heavykv bench}: prompt lengths × generation lengths × repeats × configurations, one record per run.
 * With {@code --synthetic} it also measures memory bandwidth and reports decode against its bound.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure prefill/decode speed, memory and KV figures over a matrix of prompt and generation lengths.",
                "Examples:",
                "  heavykv bench -p 64,256 -n 32 -r 3 --kv-policy h2o --with-baseline --jsonl runs.jsonl",
                "  heavykv bench --config my-configs.json -p 128 -n 64 --csv runs.csv",
                "  heavykv bench --synthetic tinyllama --type Q8_0 -p 128 -n 32",
                "  heavykv bench -m smollm2 --reference llama.cpp -p 128,512 -n 32      # side by side with llama.cpp"})
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Option(names = {"-p", "--prompt-tokens"}, split = ",", paramLabel = "N", defaultValue = "128", description = "Prompt lengths in tokens, BOS included (default: ${DEFAULT-VALUE}).")
    List<Integer> promptTokens;

    @Option(names = {"-n", "--n-predict"}, split = ",", paramLabel = "N", defaultValue = "32",
            description = "Tokens to generate per run, each fed back through one decode step (default: ${DEFAULT-VALUE}).")
    List<Integer> genTokens;

    @Option(names = {"-r", "--repeats"}, paramLabel = "N", description = "Repeats of each run (default: 1, or 5 with --reference).")
    Integer repeats;

    @Option(names = "--reference", paramLabel = "ENGINE",
            description = "Also run llama.cpp (tools/llamacpp-ref, installed by ci/llamacpp.sh) on the same GGUF, interleaved with heavykv in every "
                    + "repeat, with the same prompt ids, threads and lengths, and print both engines' tok/s and heavykv's ratio to llama.cpp. "
                    + "The only engine is llama.cpp.")
    String reference;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", defaultValue = "0", description = "Context length; 0 = the model's, raised to fit prompt + generation (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = {"-b", "--batch"}, paramLabel = "N", defaultValue = "64", description = "Prompt tokens per prefill step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Unrecorded warm-up runs before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--prompt-source", paramLabel = "SRC", defaultValue = "auto",
            description = "text (bundled eval texts cut to length), random (seeded token ids) or auto (random for synthetic models) (default: ${DEFAULT-VALUE}).")
    String promptSource;

    @Option(names = "--synthetic", paramLabel = "SHAPE", description = "Benchmark a seeded random model of real shapes: tinyllama or llama2-7b (generated once, cached).")
    String synthetic;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "0", description = "Synthetic: layers to generate; 0 = all (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "Q8_0", description = "Synthetic: weight type, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TensorType type;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "Synthetic: model cache directory (default: ~/.cache/heavykv/bench-models).")
    Path modelsDir;

    @Option(names = "--bandwidth", description = "Measure memory bandwidth and report decode against its bound (always on with --synthetic).")
    boolean bandwidth;

    @Option(names = "--bandwidth-mb", paramLabel = "MB", defaultValue = "2048", description = "Bandwidth probe buffer; keep it well above the L3 size (default: ${DEFAULT-VALUE}).")
    long bandwidthMb;

    @Mixin
    RecordOutput output = new RecordOutput();

    @Mixin
    GateOptions gates = new GateOptions();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        RunMatrix matrix = new RunMatrix(promptTokens, genTokens, repeats != null ? repeats : reference != null ? 5 : 1);
        LlamaCppTool llamaCpp = reference(matrix);
        Path modelPath = synthetic == null ? modelOptions.modelPath()
                : SyntheticModels.ensure(modelsDir != null ? modelsDir : SyntheticModels.defaultDirectory(),
                SyntheticModels.Shape.parse(synthetic), layers, type, 42, System.err::println);
        GateSpec spec = gates.requested();
        List<BenchConfig> configs = configOptions.configs();
        List<RunRecord> records;
        try (Engine engine = modelOptions.load(modelPath)) {
            records = MatrixRuns.run(engine, modelPath, "bench", context, batch, MatrixRuns.prompts(promptSource, engine, synthetic != null),
                    configs, matrix, warmup, output, out, gates.baselineConfig, llamaCpp);
            if (synthetic != null || bandwidth) speedReport(engine, records, out);
        }
        return MatrixRuns.exitCode(records, spec, gates, out);
    }

    /** The reference engine asked for, checked and found before a model is generated or loaded, so a missing tool costs no waiting. */
    private LlamaCppTool reference(RunMatrix matrix) {
        if (reference == null) return null;
        if (!reference.equals(LlamaCppTool.CONFIG_ID)) {
            throw new IllegalArgumentException("--reference must be llama.cpp, got " + reference);
        }
        SideBySide.check(matrix);
        return LlamaCppTool.installed(LlamaCppTool.repository());
    }

    private static String loadAverage() {
        try {
            return String.join(" ", java.util.Arrays.copyOf(java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Decode against the memory-bandwidth bound: (decode tok/s × weight bytes per token) / bandwidth. */
    private void speedReport(Engine engine, List<RunRecord> records, PrintStream out) {
        long bytesPerToken = WeightTraffic.bytesPerToken(engine.model().weights());
        System.err.printf(Locale.ROOT, "measuring memory bandwidth over %d MB...%n", bandwidthMb);
        double bandwidthBytes = BandwidthProbe.measure(bandwidthMb << 20, 5);
        out.println();
        out.printf(Locale.ROOT, "weights read per decoded token  %.1f MB%n", bytesPerToken / 1e6);
        out.printf(Locale.ROOT, "memory read bandwidth           %.2f GB/s (%d threads, %d MB buffer, best of 5)%n",
                bandwidthBytes / 1e9, Parallel.threads(), bandwidthMb);
        out.printf(Locale.ROOT, "decode bound                    %.2f tok/s%n", bandwidthBytes / bytesPerToken);
        out.printf(Locale.ROOT, "system load average             %s (other work on the cores skews every figure above)%n", loadAverage());
        for (RunRecord r : records) {
            if (!r.passed()) continue;
            out.printf(Locale.ROOT, "%-12s %-12s gen %-4d rep %d  prefill %.2f tok/s  decode %.3f tok/s  = %.1f%% of the bandwidth bound%n",
                    r.configId(), r.promptId(), r.generatedTokens(), r.repeat(), r.prefillTokS(), r.decodeTokS(),
                    100 * r.decodeTokS() * bytesPerToken / bandwidthBytes);
        }
    }
}
