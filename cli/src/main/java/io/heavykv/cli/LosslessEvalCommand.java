package io.heavykv.cli;

import io.heavykv.codec.CodecContext;
import io.heavykv.codec.CodecId;
import io.heavykv.codec.eval.CodecStats;
import io.heavykv.codec.eval.EvaluationReport;
import io.heavykv.codec.eval.KvDumpReader;
import io.heavykv.codec.eval.LayerReport;
import io.heavykv.codec.eval.OfflineEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code heavykv lossless-eval}: the offline lossless evaluation of a KV dump, as a table or JSON. */
@Command(name = "lossless-eval", mixinStandardHelpOptions = true,
        description = "Measure the lossless codecs on a KV dump: upper_bound (best per block with hindsight) or online_sim (what the runtime gets).")
final class LosslessEvalCommand implements Callable<Integer> {

    enum Mode { upper_bound, online_sim }

    @Parameters(index = "0", paramLabel = "DUMP", description = "KV dump file (heavykv kvdump).")
    Path dump;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "online_sim", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--block-tokens", paramLabel = "N", defaultValue = "32", description = "Tokens per block (default: ${DEFAULT-VALUE}).")
    int blockTokens;

    @Option(names = "--codecs", paramLabel = "LIST", defaultValue = "auto", split = ",", description = "auto or a comma list of codecs (default: ${DEFAULT-VALUE}).")
    List<String> codecs;

    @Option(names = "--zstd-level", paramLabel = "N", defaultValue = "" + CodecContext.DEFAULT_LEVEL, description = "zstd level (default: ${DEFAULT-VALUE}).")
    int level;

    @Option(names = "--reprobe", paramLabel = "N", defaultValue = "16", description = "online_sim: blocks between re-probes (default: ${DEFAULT-VALUE}).")
    int reprobe;

    @Option(names = "--dict-bytes", paramLabel = "N", defaultValue = "0", description = "Trained dictionary size, 0 = none (default: ${DEFAULT-VALUE}).")
    int dictionaryBytes;

    @Option(names = "--dict-train-blocks", paramLabel = "N", defaultValue = "16", description = "online_sim: blocks a dictionary is trained on (default: ${DEFAULT-VALUE}).")
    int trainBlocks;

    @Option(names = "--layers", paramLabel = "LIST", split = ",", description = "Layers to evaluate (default: all).")
    List<Integer> layers = new ArrayList<>();

    @Option(names = "--no-model-rows", description = "Context models keep no rows for references, as the runtime's on layers the cache evicts from.")
    boolean noModelRows;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<CodecId> candidates = codecs.size() == 1 && codecs.getFirst().equalsIgnoreCase("auto")
                ? CodecId.all() : codecs.stream().map(CodecId::parse).toList();
        OfflineEvaluator.Options options = new OfflineEvaluator.Options(
                mode == Mode.upper_bound ? OfflineEvaluator.Mode.UPPER_BOUND : OfflineEvaluator.Mode.ONLINE_SIM,
                blockTokens, layers, candidates, level, reprobe, dictionaryBytes, trainBlocks, !noModelRows);
        EvaluationReport report = new OfflineEvaluator().evaluate(KvDumpReader.read(dump), options);
        if (json) Json.print(System.out, report);
        else print(System.out, report);
        return 0;
    }

    private static void print(PrintStream out, EvaluationReport r) {
        out.println(String.format(Locale.ROOT, "%s  model %s  block %d tokens  zstd %d", r.mode().name().toLowerCase(Locale.ROOT),
                r.model(), r.blockTokens(), r.zstdLevel()));
        out.println(String.format(Locale.ROOT, "%-8s %8s %12s %12s %8s %8s %8s %10s %10s  %s", "layer", "blocks", "raw", "stored",
                "ratio", "K", "V", "enc us/b", "dec us/b", "wins"));
        for (LayerReport layer : r.layers()) {
            row(out, Integer.toString(layer.layer()), layer.stats(),
                    String.format(Locale.ROOT, " %7.4fx %7.4fx", layer.keys().ratio(), layer.values().ratio()));
        }
        row(out, "all", r.overall(), " ".repeat(18));
        out.println(String.format(Locale.ROOT, "models held beside the frames: %d bytes (ratio counting them %.4fx)", r.modelBytes(),
                (double) r.overall().rawBytes() / (r.overall().compressedBytes() + r.modelBytes())));
        new TreeMap<>(r.forcedRatios()).forEach((codec, ratio) ->
                out.println(String.format(Locale.ROOT, "  %-18s alone %.4fx", codec, ratio)));
    }

    private static void row(PrintStream out, String name, CodecStats s, String streams) {
        out.println(String.format(Locale.ROOT, "%-8s %8d %12d %12d %7.4fx%s %10.1f %10.1f  %s", name, s.blocks(), s.rawBytes(),
                s.compressedBytes(), s.ratio(), streams, s.encodeMicrosPerBlock(), s.decodeMicrosPerBlock(), new TreeMap<>(s.wins())));
    }
}
