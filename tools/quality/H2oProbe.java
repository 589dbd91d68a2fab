import io.heavykv.bench.CacheVariant;
import io.heavykv.bench.quality.*;
import io.heavykv.eviction.*;
import io.heavykv.kvcache.KvGeometry;
import io.heavykv.runtime.Engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Why H2O does (not) beat StreamingLLM on a model: H2O variants at one budget scored against one full-cache
 * reference in a single run, and, on the full cache itself, how much of each query head's attention various
 * kept sets would hold at the scored (decode) steps: the 4 sink tokens, the last 32, StreamingLLM's sinks plus
 * recent window at each budget, the top tokens by the layer's summed attention of that very step (an oracle
 * no policy has, since it needs the step's query), the same per head, and H2O's shape (4 sinks, 32 recent,
 * the rest by that oracle), and how many tokens hold 90% of a head's attention.
 * Run as {@code java --add-modules jdk.incubator.vector -cp "engine/target/heavykv-engine-0.1.0-SNAPSHOT.jar:engine/target/lib/*"
 * tools/quality/H2oProbe.java heldout_persuasion.txt 2048 128 682 observer h2o:recent=341 h2o:block=1 ...}
 * (bundled text, window, scored tail, budget, then variants: observer, streaming, h2o[:key=value,...] with keys
 * alpha, block, recent, sink, interval, layers=FROM-TO). Attention shares are taken once 1500 tokens are in the cache.
 */
public class H2oProbe {
    static final int[] BUDGETS = {1024, 682, 409};

    /** Never evicts; on decode steps measures which share of each head's attention various kept sets hold. */
    record Observer(Stats stats) implements PolicyConfig {
        public EvictionPolicy create(KvGeometry g) { return new ObserverPolicy(g, stats); }
    }

    static final class Stats {
        int layers;
        double[][] sums;   // [layer][figure]
        long[] count;
        static final String[] NAMES = {"sink4", "recent32", "sllm@1024", "sllm@682", "sllm@409", "topL@1024", "topL@682", "topL@409",
                "topH@682", "h2oFloors+topL@682", "n90"};
        Stats(int layers) { this.layers = layers; sums = new double[layers][NAMES.length]; count = new long[layers]; }
    }

    static final class ObserverPolicy implements EvictionPolicy {
        final KvGeometry g; final Stats st;
        float[][][] w; int[] len; CacheView view;
        ObserverPolicy(KvGeometry g, Stats st) { this.g = g; this.st = st; w = new float[g.layers()][g.heads()][0]; len = new int[g.layers()]; }
        public boolean evicts(int layer) { return false; }
        public LayerBudget budget(int layer, int length, int targetKeep) { return LayerBudget.of(length, 0, 0, length, 1); }
        public void beginStep(CacheView v) { view = v; }
        public void observe(int layer, int head, float[] weights, int offset, int length) {
            if (view == null || view.stepTokens() != 1 || view.tokensSeen() < 1500) return;
            w[layer][head] = Arrays.copyOfRange(weights, offset, offset + length);
            len[layer] = length;
        }
        public boolean endStep(CacheView v, ReservePlan plan) {
            if (v.stepTokens() != 1 || v.tokensSeen() < 1500) return false;
            for (int l = 0; l < g.layers(); l++) {
                int n = len[l];
                if (n == 0) continue;
                double[] sum = new double[n];
                for (int h = 0; h < g.heads(); h++) for (int i = 0; i < n; i++) sum[i] += w[l][h][i];
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) order[i] = i;
                Arrays.sort(order, (a, b) -> Double.compare(sum[b], sum[a]));
                double[] f = st.sums[l];
                for (int h = 0; h < g.heads(); h++) {
                    float[] x = w[l][h];
                    f[0] += range(x, 0, 4);
                    f[1] += range(x, n - 32, n);
                    for (int b = 0; b < 3; b++) f[2 + b] += range(x, 0, 4) + range(x, Math.max(4, n - (BUDGETS[b] - 4)), n);
                    for (int b = 0; b < 3; b++) { double s = 0; for (int k = 0; k < Math.min(n, BUDGETS[b]); k++) s += x[order[k]]; f[5 + b] += s; }
                    float[] sorted = x.clone(); Arrays.sort(sorted);
                    double s = 0; for (int k = 0; k < Math.min(n, 682); k++) s += sorted[n - 1 - k]; f[8] += s;
                    // H2O's shape: 4 sinks + 32 recent, the rest of 682 by the layer's summed attention
                    boolean[] keep = new boolean[n];
                    int kept = 0;
                    for (int i = 0; i < 4; i++) { keep[i] = true; kept++; }
                    for (int i = n - 32; i < n; i++) if (!keep[i]) { keep[i] = true; kept++; }
                    for (int k = 0; k < n && kept < 682; k++) if (!keep[order[k]]) { keep[order[k]] = true; kept++; }
                    double m = 0; for (int i = 0; i < n; i++) if (keep[i]) m += x[i]; f[9] += m;
                    double c = 0; int k = 0; while (c < 0.9 && k < n) c += sorted[n - 1 - k++]; f[10] += k;
                }
                st.count[l] += g.heads();
            }
            return false;
        }
        static double range(float[] x, int from, int to) { double s = 0; for (int i = Math.max(0, from); i < to; i++) s += x[i]; return s; }
    }

    public static void main(String[] a) throws Exception {
        String text = a[0]; int window = Integer.parseInt(a[1]); int tail = Integer.parseInt(a[2]);
        int budget = Integer.parseInt(a[3]);
        List<String> specs = Arrays.asList(a).subList(4, a.length);
        try (Engine engine = Engine.load(Path.of(System.getProperty("user.home"), ".cache/heavykv/models/SmolLM2-135M-Instruct.Q4_1.gguf"), Optional.empty())) {
            EvalText whole = EvalTexts.bundled(engine.tokenizer(), text);
            EvalText slice = new EvalText(text, whole.slice(0, window - 1));
            KvCacheConfig storage = KvCacheConfig.defaults().withPolicy(new FullConfig());
            Stats stats = new Stats(engine.model().config().layers());
            List<CacheVariant> variants = new ArrayList<>();
            for (String spec : specs) {
                if (spec.equals("observer")) { variants.add(new CacheVariant("observer", "observer", 0, storage.withPolicy(new Observer(stats)))); continue; }
                if (spec.equals("streaming")) { variants.add(CacheVariant.streaming(storage, 4, budget)); continue; }
                // h2o:key=value,key=value
                H2oConfig c = H2oConfig.defaults();
                String[] kv = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1).split(",") : new String[0];
                for (String p : kv) {
                    String[] e = p.split("=");
                    switch (e[0]) {
                        case "alpha" -> c = c.withEmaAlpha(Double.parseDouble(e[1]));
                        case "block" -> c = c.withBlockTokens(Integer.parseInt(e[1]));
                        case "recent" -> c = c.withRecentTokens(Integer.parseInt(e[1]));
                        case "sink" -> c = c.withSinkTokens(Integer.parseInt(e[1]));
                        case "interval" -> c = c.withUpdateInterval(Integer.parseInt(e[1]));
                        case "layers" -> { String[] r = e[1].split("-"); c = c.withLayers(Integer.parseInt(r[0]), Integer.parseInt(r[1])); }
                        default -> throw new IllegalArgumentException(p);
                    }
                }
                CacheVariant v = CacheVariant.capacity(storage, c, budget);
                variants.add(new CacheVariant(spec, v.family(), budget, v.config()));
            }
            long t0 = System.nanoTime();
            PerplexityReport r = new PerplexityEvaluator(engine, storage, window, tail).evaluate(List.of(slice), variants);
            System.out.printf("text %s window %d tail %d budget %d (%.0f s)%n", text, window, tail, budget, (System.nanoTime() - t0) / 1e9);
            PerplexityResult full = r.rows().getFirst();
            PerplexityResult sllm = r.rows().stream().filter(x -> x.family().equals("streaming")).findFirst().orElse(null);
            for (PerplexityResult x : r.rows()) {
                String ratio = sllm == null || x == sllm || x == full ? "" : String.format(" ppl-ratio %.3f KL-ratio %.3f",
                        x.perplexityDelta() / sllm.perplexityDelta(), x.meanKl() / sllm.meanKl());
                System.out.printf("%-40s ppl %.4f (%+.2f%%) KL %.5f maxKL %.3f attended %.1f lossy %.2f%s%n", x.label(), x.perplexity(),
                        100 * x.perplexityRelative(), x.meanKl(), x.maxKl(), x.meanAttendedTokens(), x.evictingLossyRatio(), ratio);
            }
            if (specs.contains("observer")) {
                System.out.print("layer");
                for (String n : Stats.NAMES) System.out.print("\t" + n);
                System.out.println();
                double[] all = new double[Stats.NAMES.length]; long cnt = 0;
                for (int l = 0; l < stats.layers; l++) {
                    System.out.print(l);
                    for (int i = 0; i < Stats.NAMES.length; i++) { System.out.printf("\t%.3f", stats.sums[l][i] / stats.count[l]); all[i] += stats.sums[l][i]; }
                    cnt += stats.count[l];
                    System.out.println();
                }
                System.out.print("all");
                for (int i = 0; i < Stats.NAMES.length; i++) System.out.printf("\t%.3f", all[i] / cnt);
                System.out.println();
            }
        }
    }
}
