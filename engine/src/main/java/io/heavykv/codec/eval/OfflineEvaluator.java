package io.heavykv.codec.eval;

import io.heavykv.codec.BlockCodecs;
import io.heavykv.codec.BlockDictionary;
import io.heavykv.codec.BlockShape;
import io.heavykv.codec.CodecContext;
import io.heavykv.codec.CodecId;
import io.heavykv.codec.ContextModel;
import io.heavykv.codec.ContextModelTrainer;
import io.heavykv.codec.Dictionaries;
import io.heavykv.codec.DictionaryTrainer;
import io.heavykv.codec.FrameReader;
import io.heavykv.codec.FrameWriter;
import io.heavykv.codec.GroupCounts;
import io.heavykv.codec.StreamCoder;
import io.heavykv.codec.ZstdDictionary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Measures the lossless codecs on a KV dump, cut into blocks the way the runtime cuts the cache, every
 * block of a layer's K and V streams in decode order.
 * <ul>
 *   <li>{@link Mode#UPPER_BOUND}: the best codec per block with hindsight; with dictionaries, one per layer
 *       stream trained on that whole stream, used wherever it helps. Also reports every codec's ratio alone.</li>
 *   <li>{@link Mode#ONLINE_SIM}: what the runtime gets, by running its own coder: a {@link StreamCoder} per
 *       stream (a selector re-probing every {@code reprobeInterval} blocks, a dictionary trained only from the
 *       first {@code dictionaryTrainBlocks} blocks, the context model learning online, its field counts pooled
 *       with the other layers' streams of its kind), block by block across the layers as the runtime codes.</li>
 * </ul>
 * In both modes a context model (when {@link CodecId#CONTEXT_MODEL} is a candidate) learns from every block
 * after it is coded, and block {@code b} uses the latest snapshot made from blocks before {@code b}: a model
 * trained on the whole stream would hold every row it then "references", which no runtime can have.
 * Every frame is decoded again and compared with the input, so a codec bug fails the evaluation.
 */
public final class OfflineEvaluator {
    public enum Mode { UPPER_BOUND, ONLINE_SIM }

    /**
     * @param layers          layers to evaluate, empty for all
     * @param dictionaryBytes size of trained dictionaries, 0 for none
     * @param modelRows       whether context models keep rows for references, as the runtime's do on layers the
     *                        cache does not evict from (under eviction they keep none)
     */
    public record Options(Mode mode, int blockTokens, List<Integer> layers, List<CodecId> candidates, int zstdLevel,
                          int reprobeInterval, int dictionaryBytes, int dictionaryTrainBlocks, boolean modelRows) {
        /** zstd trains dictionaries of kilobytes; beyond a megabyte a "dictionary" only costs memory and time. */
        public static final int MAX_DICTIONARY_BYTES = 1 << 20;
        public static final int MAX_TRAIN_BLOCKS = 1 << 16;
        public static final int MAX_BLOCK_TOKENS = 1 << 16;

        public Options {
            layers = List.copyOf(layers);
            candidates = List.copyOf(candidates);
            if (blockTokens < 1 || blockTokens > MAX_BLOCK_TOKENS) {
                throw new IllegalArgumentException("block tokens must be in [1, " + MAX_BLOCK_TOKENS + "], got " + blockTokens);
            }
            if (candidates.isEmpty()) throw new IllegalArgumentException("no candidate codecs");
            if (reprobeInterval < 1) throw new IllegalArgumentException("re-probe interval must be >= 1, got " + reprobeInterval);
            if (dictionaryBytes < 0 || dictionaryBytes > MAX_DICTIONARY_BYTES) {
                throw new IllegalArgumentException("dictionary bytes (--dict-bytes) must be in [0, " + MAX_DICTIONARY_BYTES + "], got " + dictionaryBytes);
            }
            if (dictionaryTrainBlocks < 1 || dictionaryTrainBlocks > MAX_TRAIN_BLOCKS) {
                throw new IllegalArgumentException("dictionary training blocks (--dict-train-blocks) must be in [1, " + MAX_TRAIN_BLOCKS
                        + "], got " + dictionaryTrainBlocks);
            }
        }

        /** All layers and codecs, zstd level 3, re-probe every 16 blocks, no dictionaries. */
        public static Options defaults(Mode mode, int blockTokens) {
            return new Options(mode, blockTokens, List.of(), CodecId.all(), CodecContext.DEFAULT_LEVEL, 16, 0, 16, true);
        }

        public Options withDictionaries(int bytes, int trainBlocks) {
            return new Options(mode, blockTokens, layers, candidates, zstdLevel, reprobeInterval, bytes, trainBlocks, modelRows);
        }

        public Options withLayers(List<Integer> scope) {
            return new Options(mode, blockTokens, scope, candidates, zstdLevel, reprobeInterval, dictionaryBytes, dictionaryTrainBlocks,
                    modelRows);
        }
    }

    private final Dictionaries dictionaries = new Dictionaries();
    /** Model memory of the streams coded so far: their trainers, whose row stores snapshots share. */
    private long trainerBytes;

    public EvaluationReport evaluate(KvDump dump, Options options) {
        List<Integer> scope = options.layers().isEmpty() ? allLayers(dump) : options.layers();
        for (int layer : scope) {
            if (layer < 0 || layer >= dump.header().layers()) {
                throw new IllegalArgumentException("layer " + layer + " outside [0, " + dump.header().layers() + ")");
            }
        }
        try (CodecContext ctx = new CodecContext(options.zstdLevel())) {
            FrameWriter writer = new FrameWriter(ctx);
            FrameReader reader = new FrameReader(ctx, dictionaries::get);
            StatsAccumulator overall = new StatsAccumulator();
            Map<CodecId, Long> forced = new LinkedHashMap<>();
            int kinds = KvDump.Stream.values().length;
            StatsAccumulator[][] streams = new StatsAccumulator[scope.size()][kinds];
            StreamRun[][] runs = new StreamRun[scope.size()][kinds];
            for (int i = 0; i < scope.size(); i++) {
                for (KvDump.Stream stream : KvDump.Stream.values()) {
                    streams[i][stream.ordinal()] = new StatsAccumulator();
                    runs[i][stream.ordinal()] = new StreamRun(dump, scope.get(i), stream, options, writer, reader, streams[i][stream.ordinal()]);
                }
            }
            if (options.mode() == Mode.UPPER_BOUND) {
                for (StreamRun[] layer : runs) for (StreamRun run : layer) run.upperBound(forced);
            } else {
                online(runs);
            }
            List<LayerReport> layers = new ArrayList<>();
            for (int i = 0; i < scope.size(); i++) {
                StatsAccumulator acc = new StatsAccumulator();
                for (StatsAccumulator stream : streams[i]) acc.addAll(stream);
                layers.add(new LayerReport(scope.get(i), acc.stats(), streams[i][KvDump.Stream.K.ordinal()].stats(),
                        streams[i][KvDump.Stream.V.ordinal()].stats()));
                overall.addAll(acc);
            }
            Map<String, Double> forcedRatios = new LinkedHashMap<>();
            long raw = overall.stats().rawBytes();
            forced.forEach((codec, bytes) -> forcedRatios.put(codec.toString(), (double) raw / bytes));
            return new EvaluationReport(options.mode(), dump.header().model(), options.blockTokens(), options.zstdLevel(),
                    layers, overall.stats(), forcedRatios, dictionaries.bytes() + trainerBytes);
        } finally {
            dictionaries.closeAll();
        }
    }

    /**
     * The runtime's coding order: block {@code b} of every layer's K and V streams, then block {@code b + 1}; the K
     * streams pool their field counts, and the V streams theirs, as the runtime's do.
     */
    private void online(StreamRun[][] runs) {
        GroupCounts[] counts = new GroupCounts[KvDump.Stream.values().length];
        for (int s = 0; s < counts.length; s++) counts[s] = new GroupCounts();
        for (StreamRun[] layer : runs) for (int s = 0; s < layer.length; s++) layer[s].startOnline(counts[s]);
        for (int b = 0, blocks = runs.length == 0 ? 0 : runs[0][0].blocks; b < blocks; b++) {
            for (StreamRun[] layer : runs) for (StreamRun run : layer) run.online(b);
        }
        for (StreamRun[] layer : runs) for (StreamRun run : layer) run.endOnline();
        for (GroupCounts c : counts) trainerBytes += c.bytes();
    }

    private static List<Integer> allLayers(KvDump dump) {
        List<Integer> all = new ArrayList<>();
        for (int l = 0; l < dump.header().layers(); l++) all.add(l);
        return all;
    }

    /** The blocks of one layer stream and the buffers to code them. */
    private final class StreamRun {
        private final KvDump dump;
        private final Options options;
        private final FrameWriter writer;
        private final FrameReader reader;
        private final StatsAccumulator acc;
        private final byte[] data;
        private final int blocks;
        private final ContextModelTrainer modelTrainer;
        private ContextModel model;
        private StreamCoder coder;
        private final byte[] frame;
        private final byte[] trial;
        private final byte[] restored;

        StreamRun(KvDump dump, int layer, KvDump.Stream stream, Options options, FrameWriter writer, FrameReader reader,
                  StatsAccumulator acc) {
            this.dump = dump;
            this.options = options;
            this.writer = writer;
            this.reader = reader;
            this.acc = acc;
            this.data = dump.stream(layer, stream);
            this.blocks = dump.blockCount(options.blockTokens());
            BlockShape largest = new BlockShape(dump.header().dtype(), Math.max(1, Math.min(options.blockTokens(), dump.header().tokens())),
                    dump.header().channels());
            this.frame = new byte[FrameWriter.maxFrameLength(largest)];
            this.trial = new byte[frame.length];
            this.restored = new byte[largest.rawBytes()];
            this.modelTrainer = options.mode() == Mode.UPPER_BOUND && options.candidates().contains(CodecId.CONTEXT_MODEL)
                    ? new ContextModelTrainer(largest.channels(), options.modelRows()) : null;
        }

        void upperBound(Map<CodecId, Long> forced) {
            ZstdDictionary dict = null;
            if (options.dictionaryBytes() > 0) {
                dict = train(mostFrequentWinner(), blocks).orElse(null);
            }
            for (int b = 0; b < blocks; b++) {
                BlockShape shape = shape(b);
                int off = offset(b);
                CodecId bestCodec = null;
                BlockDictionary bestDict = null;
                int best = Integer.MAX_VALUE;
                for (CodecId codec : options.candidates()) {
                    BlockDictionary own = BlockCodecs.dictionaryFor(codec, null, model);
                    int length = writer.write(shape, data, off, codec, own, trial, 0);
                    forced.merge(codec, (long) length, Long::sum);
                    if (length < best) {
                        best = length;
                        bestCodec = codec;
                        bestDict = own;
                    }
                    if (dict != null && BlockCodecs.of(codec).takes(dict)) {
                        length = writer.write(shape, data, off, codec, dict, trial, 0);
                        if (length < best) {
                            best = length;
                            bestCodec = codec;
                            bestDict = dict;
                        }
                    }
                }
                long t0 = System.nanoTime();
                int length = writer.write(shape, data, off, bestCodec, bestDict, frame, 0);
                long encode = System.nanoTime() - t0;
                record(shape, off, length, BlockCodecs.label(bestCodec, bestDict), encode);
                learn(shape, off);
            }
            if (modelTrainer != null) trainerBytes += modelTrainer.bytes();
        }

        void startOnline(GroupCounts counts) {
            coder = new StreamCoder(options.candidates(), options.reprobeInterval(), options.zstdLevel(),
                    options.dictionaryBytes(), options.dictionaryTrainBlocks(), options.modelRows(), counts, dictionaries);
        }

        void online(int b) {
            BlockShape shape = shape(b);
            int off = offset(b);
            long t0 = System.nanoTime();
            StreamCoder.Encoded encoded = coder.encode(writer, shape, data, off, null, frame);
            long encode = System.nanoTime() - t0;
            record(shape, off, encoded.header().frameLength(), encoded.label(), encode);
        }

        void endOnline() {
            trainerBytes += coder.trainerBytes();
            coder.release();
        }

        /** Teaches the context model the block just coded, snapshotting it when due. */
        private void learn(BlockShape shape, int off) {
            if (modelTrainer == null) return;
            ContextModel next = modelTrainer.learnOnline(shape, data, off, dictionaries::nextId);
            if (next != null) {
                model = next;
                dictionaries.register(next);
            }
        }

        private void record(BlockShape shape, int off, int length, String label, long encodeNanos) {
            long t0 = System.nanoTime();
            reader.read(frame, 0, length, restored, 0);
            long decode = System.nanoTime() - t0;
            if (!Arrays.equals(restored, 0, shape.rawBytes(), data, off, off + shape.rawBytes())) {
                throw new IllegalStateException("codec " + label + " did not restore a block bit-exactly");
            }
            acc.add(shape.rawBytes(), length, label, encodeNanos, decode);
        }

        private CodecId mostFrequentWinner() {
            Map<CodecId, Integer> wins = new HashMap<>();
            for (int b = 0; b < blocks; b++) {
                writer.writeSmallest(shape(b), data, offset(b), options.candidates(), null, trial, 0);
                wins.merge(writer.lastCodec(), 1, Integer::sum);
            }
            return wins.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        }

        /** A dictionary for {@code codec} from the stream's first {@code sampleBlocks} blocks, registered for the reader. */
        private Optional<ZstdDictionary> train(CodecId codec, int sampleBlocks) {
            if (BlockCodecs.of(codec).dictionaryType() != ZstdDictionary.class) return Optional.empty();
            DictionaryTrainer trainer = new DictionaryTrainer(codec, writer.context(),
                    (int) Math.min(Integer.MAX_VALUE - 8, (long) sampleBlocks * frame.length), options.dictionaryBytes());
            for (int b = 0; b < sampleBlocks; b++) trainer.add(shape(b), data, offset(b));
            Optional<ZstdDictionary> dict = trainer.train(dictionaries.nextId());
            dict.ifPresent(dictionaries::register);
            return dict;
        }

        private BlockShape shape(int b) { return dump.blockShape(options.blockTokens(), b); }

        private int offset(int b) { return dump.blockOffset(options.blockTokens(), b); }
    }
}
