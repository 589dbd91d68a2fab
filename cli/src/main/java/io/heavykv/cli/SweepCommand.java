package io.heavykv.cli;

import io.heavykv.bench.Preset;
import io.heavykv.bench.Presets;
import io.heavykv.bench.RunMatrix;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.StrictJson;
import io.heavykv.bench.gate.GateJson;
import io.heavykv.bench.gate.GateSpec;
import io.heavykv.runtime.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code heavykv sweep}: run a preset (bundled name or JSON file) and judge its gates. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a preset: named configurations (plus an optional baseline) over its run matrix, then its gates.",
                "Bundled presets: target-ratio, target-speed, joint-scope, store (heavykv/presets/*.json); or give a file.",
                "Exit code 3 when a gate fails. Gate flags given here replace the preset's gates.",
                "Examples:",
                "  heavykv sweep --preset target-ratio --jsonl ratio.jsonl",
                "  heavykv sweep --preset my-preset.json -r 3 --max-decode-drop 0.05 --history hist.jsonl --record-history"})
final class SweepCommand implements Callable<Integer> {

    @Option(names = "--preset", paramLabel = "NAME|FILE", required = true, description = "Bundled preset name or preset JSON file.")
    String preset;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = {"-p", "--prompt-tokens"}, split = ",", paramLabel = "N", description = "Override the preset's prompt lengths.")
    List<Integer> promptTokens;

    @Option(names = {"-n", "--n-predict"}, split = ",", paramLabel = "N", description = "Override the preset's generation lengths (tokens generated per run).")
    List<Integer> genTokens;

    @Option(names = {"-r", "--repeats"}, paramLabel = "N", description = "Override the preset's repeats.")
    Integer repeats;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Unrecorded warm-up runs (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--prompt-source", paramLabel = "SRC", defaultValue = "text", description = "text or random (default: ${DEFAULT-VALUE}).")
    String promptSource;

    @Option(names = "--no-gates", description = "Run without judging the preset's gates.")
    boolean noGates;

    @Mixin
    RecordOutput output = new RecordOutput();

    @Mixin
    GateOptions gates = new GateOptions();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Preset p = Presets.load(preset);
        RunMatrix m = p.matrix();
        RunMatrix matrix = new RunMatrix(promptTokens != null ? promptTokens : m.promptTokens(),
                genTokens != null ? genTokens : m.generateTokens(), repeats != null ? repeats : m.repeats());
        GateSpec spec = noGates ? GateSpec.none() : gates.any() ? gates.spec()
                : p.gates().map(g -> GateJson.parse(new StrictJson(g, p.name() + " gates"),
                        p.baseline().map(b -> b.id()).orElse(""), gates::historyRecords)).orElse(GateSpec.none());
        if (!output.quiet) System.err.println("preset " + p.name() + ": " + p.description());
        List<RunRecord> records;
        try (Engine engine = modelOptions.load()) {
            records = MatrixRuns.run(engine, modelOptions.modelPath(), "sweep", p.context(), p.prefillChunk(),
                    MatrixRuns.prompts(promptSource, engine, false), p.allConfigs(), matrix, warmup, output, out,
                    p.baseline().map(b -> b.id()).orElse(gates.baselineConfig), null);
        }
        return MatrixRuns.exitCode(records, spec, gates, out);
    }
}
