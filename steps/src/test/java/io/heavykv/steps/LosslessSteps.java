package io.heavykv.steps;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.heavykv.codec.eval.CodecStats;
import io.heavykv.codec.eval.EvaluationReport;
import io.heavykv.codec.eval.KvCapture;
import io.heavykv.codec.eval.KvDump;
import io.heavykv.codec.eval.LayerReport;
import io.heavykv.codec.eval.OfflineEvaluator;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.lossless.LosslessScope;
import io.heavykv.lossless.LosslessStats;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;
import io.heavykv.sampling.GreedySampler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lossless compression of the kept KV: what attention reads must be bit-for-bit what an uncompressed
 * cache would hold, and the figures must show the compression really happened.
 */
public final class LosslessSteps {
    private final ScenarioContext context;
    private final List<int[]> plainLogits = new ArrayList<>();
    private final List<int[]> compressedLogits = new ArrayList<>();
    private LosslessStats stats;
    private KvDump captured;
    /** What the cache held without compression at the end of the uncompressed run, and each run's decode tokens/s. */
    private long plainResidentBytes;
    private double plainDecodeSpeed;
    private double compressedDecodeSpeed;

    public LosslessSteps(ScenarioContext context) {
        this.context = context;
    }

    @Given("lossless compression in {word} mode on every layer")
    public void losslessCompressionOnEveryLayer(String mode) {
        int layers = context.engine().model().config().layers();
        // Encoding on the decode thread, at step boundaries: on a model this small a step takes a millisecond,
        // and what an encode worker finishes within the traced steps would depend on the machine's load.
        LosslessConfig lossless = LosslessConfig.off().withMode(LosslessMode.valueOf(mode.toUpperCase()))
                .withScope(LosslessScope.FRONT_N, layers).withHotZones(4, 32).withAsync(0, 64);
        context.cacheConfig(context.cacheConfig().withLossless(lossless));
    }

    /**
     * Store mode as it holds the least: H2O's kept pages outside small hot zones, no per-layer decode cache (it
     * holds decoded pages between steps; a few pages across layers), encoded at step boundaries so the figures
     * are the same run to run.
     */
    @Given("lossless store mode on the kept pages outside hot zones of {int} sink and {int} recent tokens, without per-layer decode caches")
    public void losslessStoreModeOnTheKeptPages(int sink, int recent) {
        LosslessConfig lossless = LosslessConfig.off().withMode(LosslessMode.STORE).withHotZones(sink, recent)
                .withDecodeCache(0, 8).withAsync(0, 64);
        context.cacheConfig(context.cacheConfig().withLossless(lossless));
    }

    @When("I run the bundled prompt {word} and {int} greedy tokens with and without compression")
    public void iRunWithAndWithoutCompression(String prompt, int steps) {
        Engine engine = context.engine();
        int[] tokens = context.bundledPrompt(prompt);
        KvCacheConfig compressed = context.cacheConfig();
        int[] forced = trace(engine, compressed.withLossless(LosslessConfig.off()), tokens, steps, null, plainLogits);
        trace(engine, compressed, tokens, steps, forced, compressedLogits);
    }

    @Then("every step's logits are bit-identical to the uncompressed run")
    public void everyStepsLogitsAreBitIdentical() {
        assertThat(compressedLogits).as("steps traced").hasSameSizeAs(plainLogits);
        for (int i = 0; i < plainLogits.size(); i++) {
            assertThat(compressedLogits.get(i)).as("logit bits at step " + i).isEqualTo(plainLogits.get(i));
        }
    }

    @Then("compressed pages replaced raw ones")
    public void compressedPagesReplacedRawOnes() {
        assertThat(stats.releasedPages()).as("pages whose raw KV was dropped").isPositive();
        assertThat(stats.decodeFailures()).as("frames that failed to decode").isZero();
    }

    @Then("the lossless ratio is at least {double}")
    public void theLosslessRatioIsAtLeast(double ratio) {
        assertThat(stats.losslessRatio()).as("lossless ratio on compressed KV").isGreaterThanOrEqualTo(ratio);
    }

    @Then("the lossless ratio on all kept KV is at least {double}")
    public void theLosslessRatioOnAllKeptKvIsAtLeast(double ratio) {
        assertThat(stats.keptRatio()).as("raw bytes of the whole cache / bytes held with released pages as frames")
                .isGreaterThanOrEqualTo(ratio);
    }

    /**
     * Every byte store mode keeps (resident pages, frames, models, decode caches, queued copies) against what the
     * same cache held without compression. The runtime's ratio on all kept KV is the lossless goal's figure here:
     * a real store-mode run, not a simulation.
     */
    @Then("store mode holds at least {double}x less KV memory than the cache without compression")
    public void storeModeHoldsLessThanWithoutCompression(double ratio) {
        double memory = (double) plainResidentBytes / stats.heldBytes();
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("KV held without compression (bytes)", plainResidentBytes);
        shown.put("KV held in store mode (bytes)", stats.heldBytes());
        shown.put("of which resident pages / frames / models", stats.residentBytes() + " / " + stats.storedBytes() + " / " + stats.modelBytes());
        shown.put("memory ratio", rounded(memory));
        shown.put("lossless ratio on framed pages", rounded(stats.losslessRatio()));
        shown.put("online ratio", rounded(stats.keptRatio()));
        shown.put("decode tokens/s without / with store mode (one run each, not paired)",
                rounded(plainDecodeSpeed) + " / " + rounded(compressedDecodeSpeed));
        Figures.keyValues("store mode memory against the cache without compression", shown);
        assertThat(memory).as("KV memory without compression / with store mode, every byte counted").isGreaterThanOrEqualTo(ratio);
    }

    @When("I capture the KV of the bundled prompt {word}")
    public void iCaptureTheKvOfTheBundledPrompt(String prompt) {
        Engine engine = context.engine();
        int[] tokens = context.bundledPrompt(prompt);
        int length = Math.max(context.contextLength(), tokens.length + 1);
        try (Session session = engine.openSession(context.cacheConfig(), length, 64)) {
            session.prefill(tokens);
            captured = KvCapture.capture(session.cache(), "stories260K");
        }
    }

    @Then("the simulated online lossless ratio with {int}-token blocks is at least {double}")
    public void theSimulatedOnlineLosslessRatioIsAtLeast(int blockTokens, double ratio) {
        EvaluationReport report = new OfflineEvaluator().evaluate(captured,
                OfflineEvaluator.Options.defaults(OfflineEvaluator.Mode.ONLINE_SIM, blockTokens));
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("tokens", captured.header().tokens());
        shown.put("block tokens", blockTokens);
        for (LayerReport layer : report.layers()) shown.put("layer " + layer.layer() + " ratio", rounded(layer.stats().ratio()));
        CodecStats all = report.overall();
        shown.put("raw / stored bytes", all.rawBytes() + " / " + all.compressedBytes());
        shown.put("online ratio", rounded(all.ratio()));
        shown.put("models beside the frames (bytes)", report.modelBytes());
        shown.put("ratio counting the models", rounded((double) all.rawBytes() / (all.compressedBytes() + report.modelBytes())));
        shown.put("winning codecs", all.wins().toString());
        Figures.keyValues("simulated online lossless figures", shown);
        assertThat(all.ratio()).as("simulated online lossless ratio with " + blockTokens + "-token blocks").isGreaterThanOrEqualTo(ratio);
    }

    private static double rounded(double x) { return Math.round(x * 10_000) / 10_000.0; }

    /** Runs prompt + steps tokens (greedy, or {@code forced} tokens), recording each step's logits as bits. */
    private int[] trace(Engine engine, KvCacheConfig config, int[] prompt, int steps, int[] forced, List<int[]> out) {
        int[] chosen = new int[steps];
        try (Session session = engine.openSession(config, prompt.length + steps + 1, 64)) {
            float[] logits = session.prefill(prompt);
            GreedySampler greedy = new GreedySampler();
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                out.add(bits(logits));
                chosen[s] = forced != null ? forced[s] : greedy.sample(logits);
                logits = session.decode(chosen[s]);
            }
            double speed = steps * 1e9 / Math.max(1, System.nanoTime() - start);
            out.add(bits(logits));
            if (!config.lossless().enabled()) {
                plainResidentBytes = session.cache().residentBytes();
                plainDecodeSpeed = speed;
            } else {
                compressedDecodeSpeed = speed;
            }
            if (config.lossless().enabled()) {
                stats = session.figures().lossless();
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("mode", stats.mode());
                shown.put("pages framed / released", stats.framedPages() + " / " + stats.releasedPages());
                shown.put("raw / stored bytes", stats.rawBytes() + " / " + stats.storedBytes());
                shown.put("lossless ratio", rounded(stats.losslessRatio()));
                shown.put("lossless ratio on all kept KV", rounded(stats.keptRatio()));
                shown.put("KV held (bytes)", stats.heldBytes());
                shown.put("restores", stats.restores());
                shown.put("decode cache hits / misses", stats.decodeCacheHits() + " / " + stats.decodeCacheMisses());
                shown.put("fallbacks", stats.fallbacks());
                Figures.keyValues("lossless figures", shown);
                Figures.json("lossless stats", stats);
            }
        }
        return chosen;
    }

    private static int[] bits(float[] logits) {
        int[] bits = new int[logits.length];
        for (int i = 0; i < logits.length; i++) bits[i] = Float.floatToRawIntBits(logits[i]);
        return bits;
    }
}
