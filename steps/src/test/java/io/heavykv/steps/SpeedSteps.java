package io.heavykv.steps;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.heavykv.bench.BenchConfig;
import io.heavykv.bench.BenchRunner;
import io.heavykv.bench.MatrixRunner;
import io.heavykv.bench.Preset;
import io.heavykv.bench.Presets;
import io.heavykv.bench.RandomPrompts;
import io.heavykv.bench.RunMatrix;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.SyntheticModels;
import io.heavykv.bench.gate.DecodeBaseline;
import io.heavykv.bench.gate.GateResult;
import io.heavykv.bench.gate.GateSpec;
import io.heavykv.bench.gate.GateVerdict;
import io.heavykv.bench.gate.Gates;
import io.heavykv.bench.gate.PairedDecode;
import io.heavykv.runtime.Engine;
import io.heavykv.tensor.TensorType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decode speed of a compressing configuration against the full cache, measured by the bench harness and judged
 * by its gates (paired baseline), so the scenario and {@code heavykv bench --baseline paired} agree.
 */
public final class SpeedSteps {
    private static final String BASELINE = "baseline";

    private final ScenarioContext context;
    private Path modelFile;
    private List<RunRecord> records;
    private String candidate;

    public SpeedSteps(ScenarioContext context) {
        this.context = context;
    }

    /** Generated once into the bench model cache (the same file {@code heavykv bench --synthetic} uses), never checked in. */
    @Given("a generated Q8_0 model with TinyLlama-1.1B dimensions and {int} layers")
    public void aGeneratedTinyLlamaModel(int layers) throws Exception {
        modelFile = SyntheticModels.ensure(SyntheticModels.defaultDirectory(), SyntheticModels.Shape.TINYLLAMA, layers,
                TensorType.Q8_0, 42, message -> System.err.println("heavykv: " + message));
        context.useEngine(Engine.load(modelFile, Optional.empty()), modelFile);
    }

    @When("I decode {int} tokens after a random {int}-token prompt with the full cache and with the {word} preset's {word}, interleaved, {int} times")
    public void iDecodeInterleaved(int generate, int promptTokens, String presetName, String configName, int repeats) throws Exception {
        Preset preset = Presets.load(presetName);
        BenchConfig baseline = preset.baseline().orElseThrow(() -> new IllegalArgumentException("preset " + presetName + " has no baseline"));
        assertThat(baseline.id()).as("the preset's baseline name").isEqualTo(BASELINE);
        BenchConfig compressing = preset.configs().stream().filter(c -> c.id().equals(configName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("preset " + presetName + " has no configuration " + configName));
        candidate = configName;
        Engine engine = context.engine();
        MatrixRunner runner = new MatrixRunner(new BenchRunner(engine, modelFile, "scenario", 0, 64), RandomPrompts.forModel(engine));
        List<BenchConfig> configs = List.of(baseline, compressing);
        RunMatrix matrix = new RunMatrix(List.of(promptTokens), List.of(generate), repeats);
        runner.warmUp(configs, matrix);
        records = runner.run(configs, matrix, r -> { }, done -> { });
        attachRuns();
    }

    @Then("decode tokens\\/s drops at most {int}% against the full cache, by the median of the paired ratios")
    public void decodeDropsAtMost(int percent) {
        GateSpec spec = GateSpec.none().withAllRunsPass(true).withMaxDecodeDrop(percent / 100.0, new DecodeBaseline.Paired(BASELINE));
        GateVerdict verdict = Gates.evaluate(spec, records);
        List<List<?>> rows = new ArrayList<>();
        for (GateResult r : verdict.results()) rows.add(List.of(r.gate(), r.subject(), r.status(), r.figure(), r.threshold(), r.detail()));
        Figures.table("gates", List.of("gate", "subject", "status", "figure", "threshold", "detail"), rows);
        assertThat(verdict.failures()).as("failed gates (decode drop = 1 - median of candidate/baseline decode tok/s per repeat)")
                .isEmpty();
    }

    @Then("the compressing configuration holds less KV than the full cache")
    public void theCompressingConfigurationHoldsLessKv() {
        double base = medianOf(BASELINE, r -> (double) r.kvResidentBytes());
        double held = medianOf(candidate, r -> r.losslessHeldBytes() != null ? r.losslessHeldBytes() : r.kvResidentBytes());
        assertThat(held).as("KV bytes held by " + candidate + " (resident pages, frames, decode cache) vs the full cache's")
                .isLessThan(base);
    }

    private void attachRuns() {
        PairedDecode paired = PairedDecode.of(BASELINE, records).stream().filter(c -> c.configId().equals(candidate))
                .findFirst().orElse(null);
        // The pairs the gate judges: a candidate run's ratio to the baseline run of its repeat.
        Map<RunRecord, Double> ratios = new IdentityHashMap<>();
        if (paired != null) {
            for (int i = 0; i < paired.ratios().size(); i++) ratios.put(paired.candidates().get(i), paired.ratios().get(i));
        }
        List<List<?>> rows = new ArrayList<>();
        Map<String, Double> speeds = new LinkedHashMap<>();
        for (RunRecord r : records) {
            Double ratio = ratios.get(r);
            rows.add(List.of(r.configId(), r.repeat(), r.status(), fixed(r.decodeTokS()), ratio == null ? "" : fixed(ratio),
                    r.kvResidentBytes(), r.losslessHeldBytes() == null ? "" : r.losslessHeldBytes(),
                    r.losslessRatio() == null ? "" : fixed(r.losslessRatio()),
                    r.losslessCacheHits() == null ? "" : r.losslessCacheHits() + "/" + r.losslessCacheMisses(),
                    r.losslessDecodeUs() == null ? "" : r.losslessDecodeUs()));
            speeds.put(r.configId() + " #" + r.repeat(), r.decodeTokS());
        }
        Figures.table("runs (interleaved, in run order)", List.of("config", "repeat", "status", "decode tok/s", "ratio to baseline",
                "KV resident bytes", "KV held bytes", "lossless ratio", "decode cache hits/misses", "lossless decode us"), rows);
        Figures.barChart("decode tokens/s per run", "decode tokens/s", speeds);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", modelFile.getFileName().toString());
        summary.put("candidate", candidate);
        if (paired != null && paired.paired()) {
            summary.put("baseline median tok/s", fixed(paired.baselineMedianTokS()));
            summary.put("candidate median tok/s", fixed(paired.candidateMedianTokS()));
            summary.put("median paired ratio", fixed(paired.medianRatio()));
            summary.put("pairs", paired.ratios().size());
        }
        Figures.keyValues("decode speed", summary);
    }

    private double medianOf(String configId, ToDoubleFunction<RunRecord> figure) {
        double[] values = records.stream().filter(r -> r.passed() && r.configId().equals(configId)).mapToDouble(figure).toArray();
        assertThat(values).as("passing runs of " + configId).isNotEmpty();
        return PairedDecode.median(values);
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
