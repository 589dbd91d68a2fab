package io.heavykv.bench.jmh;

import io.heavykv.codec.BlockShape;
import io.heavykv.codec.CodecContext;
import io.heavykv.codec.CodecId;
import io.heavykv.codec.ContextModel;
import io.heavykv.codec.ContextModelTrainer;
import io.heavykv.codec.FrameReader;
import io.heavykv.codec.FrameWriter;
import io.heavykv.codec.eval.KvDump;
import io.heavykv.codec.eval.SyntheticKv;
import io.heavykv.kvcache.KvDType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Encode and decode speed of each lossless codec on FP16 KV blocks of 256 channels (synthetic KV with
 * per-channel structure, alternating K and V blocks), one block per operation. The context-model codec
 * codes with a model of its stream trained on the stream's earlier blocks, as the runtime's online
 * models are; synthetic rows never repeat, so it finds none to reference and measures its entropy-coding
 * path. {@link #main} runs the
 * benchmark and prints GB/s of raw KV and the compression ratio per codec and block size.
 * Run after {@code mvn -pl jmh -am package -DskipTests}: {@code java --add-modules jdk.incubator.vector -cp 'jmh/target/classes:jmh/target/lib/*' io.heavykv.bench.jmh.CodecBenchmark [regex]}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class CodecBenchmark {
    private static final int CHANNELS = 256;
    private static final int BLOCKS = 8;

    /** A codec name, or "auto" for the smallest of all per block. */
    @Param({"stored", "zstd", "planes", "planes_cm", "delta_planes", "delta_planes_cm", "xor_planes", "xor_planes_cm", "dedup_planes", "context_model", "auto"})
    public String codec;

    @Param({"32", "128"})
    public int tokens;

    private CodecContext ctx;
    private FrameWriter writer;
    private FrameReader reader;
    private BlockShape shape;
    private byte[][] blocks;
    private final ContextModel[] models = new ContextModel[2];
    private byte[][] frames;
    private int[] frameLengths;
    private byte[] frameOut;
    private byte[] rawOut;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        ctx = new CodecContext();
        writer = new FrameWriter(ctx);
        reader = new FrameReader(ctx, id -> models[id - 1]);
        shape = new BlockShape(KvDType.FP16, tokens, CHANNELS);
        // Per stream, BLOCKS / 2 blocks to train on, then BLOCKS / 2 to code.
        KvDump dump = SyntheticKv.generate(1, 4, CHANNELS / 4, tokens * BLOCKS, KvDType.FP16, 11);
        for (KvDump.Stream stream : KvDump.Stream.values()) {
            ContextModelTrainer trainer = new ContextModelTrainer(CHANNELS);
            for (int b = 0; b < BLOCKS / 2; b++) trainer.add(shape, dump.stream(0, stream), dump.blockOffset(tokens, b));
            models[stream.ordinal()] = trainer.snapshot(stream.ordinal() + 1);
        }
        blocks = new byte[BLOCKS][];
        frames = new byte[BLOCKS][FrameWriter.maxFrameLength(shape)];
        frameLengths = new int[BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            byte[] stream = dump.stream(0, b % 2 == 0 ? KvDump.Stream.K : KvDump.Stream.V);
            int off = dump.blockOffset(tokens, BLOCKS / 2 + b / 2);
            blocks[b] = java.util.Arrays.copyOfRange(stream, off, off + shape.rawBytes());
            frameLengths[b] = encode(b, frames[b]);
        }
        frameOut = new byte[FrameWriter.maxFrameLength(shape)];
        rawOut = new byte[shape.rawBytes()];
    }

    @TearDown(Level.Trial)
    public void tearDown() { ctx.close(); }

    /** Block {@code b} with its stream's model (K blocks are even, V odd). */
    private int encode(int b, byte[] dst) {
        ContextModel model = models[b % 2];
        return codec.equals("auto")
                ? writer.writeSmallest(shape, blocks[b], 0, CodecId.all(), null, model, dst, 0)
                : writer.write(shape, blocks[b], 0, CodecId.parse(codec), model, dst, 0);
    }

    @Benchmark
    public int encode() {
        next = (next + 1) % BLOCKS;
        return encode(next, frameOut);
    }

    @Benchmark
    public byte[] decode() {
        next = (next + 1) % BLOCKS;
        reader.read(frames[next], 0, frameLengths[next], rawOut, 0);
        return rawOut;
    }

    /** Raw bytes over frame bytes for the benchmark's blocks. */
    double ratio() {
        long frameBytes = 0;
        for (int length : frameLengths) frameBytes += length;
        return (double) BLOCKS * shape.rawBytes() / frameBytes;
    }

    public static void main(String[] args) throws RunnerException {
        String include = args.length > 0 ? args[0] : CodecBenchmark.class.getSimpleName();
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(include).build()).run();
        System.out.printf("%n%-16s %6s %7s %12s %12s%n", "codec", "tokens", "ratio", "encode GB/s", "decode GB/s");
        for (String name : codecs(results)) {
            for (int t : new int[] {32, 128}) {
                double enc = gbPerSecond(results, "encode", name, t);
                double dec = gbPerSecond(results, "decode", name, t);
                if (Double.isNaN(enc) && Double.isNaN(dec)) continue;
                CodecBenchmark probe = new CodecBenchmark();
                probe.codec = name;
                probe.tokens = t;
                probe.setUp();
                System.out.printf("%-16s %6d %7.3f %12.2f %12.2f%n", name, t, probe.ratio(), enc, dec);
                probe.tearDown();
            }
        }
    }

    private static String[] codecs(Collection<RunResult> results) {
        return results.stream().map(r -> r.getParams().getParam("codec")).distinct().toArray(String[]::new);
    }

    private static double gbPerSecond(Collection<RunResult> results, String method, String codec, int tokens) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("." + method) && r.getParams().getParam("codec").equals(codec)
                    && r.getParams().getParam("tokens").equals(Integer.toString(tokens))) {
                return r.getPrimaryResult().getScore() * tokens * CHANNELS * KvDType.FP16.bytes() / 1e9;
            }
        }
        return Double.NaN;
    }
}
