package io.heavykv.codec;

import java.util.List;

/**
 * Picks the codec for each block of one stream (say, the K of one layer) as a runtime can: every
 * {@code reprobeInterval} blocks it encodes with all candidates and keeps the smallest; in between it
 * reuses that winner, so most blocks cost one encode. A new context model changes what the context-model
 * codec achieves and nothing else, so it is tried against the current winner alone (two encodes, not a
 * probe of every candidate). An interval of 1 is "auto" (best per block); a single candidate forces a
 * codec. Stateful: one selector per stream.
 */
public final class CodecSelector {
    private final List<CodecId> candidates;
    private final int reprobeInterval;
    private CodecId current;
    private ContextModel probedModel;
    private int sinceProbe;
    private int probes;

    public CodecSelector(List<CodecId> candidates, int reprobeInterval) {
        if (candidates.isEmpty()) throw new IllegalArgumentException("no candidate codecs");
        if (reprobeInterval < 1) throw new IllegalArgumentException("re-probe interval must be >= 1, got " + reprobeInterval);
        this.candidates = List.copyOf(candidates);
        this.reprobeInterval = reprobeInterval;
    }

    /** Best of every codec for every block. */
    public static CodecSelector auto() { return new CodecSelector(CodecId.all(), 1); }

    /** Always {@code codec}. */
    public static CodecSelector fixed(CodecId codec) { return new CodecSelector(List.of(codec), 1); }

    /** Encodes the next block of the stream into {@code dst[dstOff]}; returns the frame length. */
    public int encode(FrameWriter writer, BlockShape shape, byte[] src, int srcOff, ZstdDictionary dict, byte[] dst, int dstOff) {
        return encode(writer, shape, src, srcOff, dict, null, dst, dstOff);
    }

    /** As {@link #encode(FrameWriter, BlockShape, byte[], int, ZstdDictionary, byte[], int)}, with the stream's context model. */
    public int encode(FrameWriter writer, BlockShape shape, byte[] src, int srcOff, ZstdDictionary dict, ContextModel model,
                      byte[] dst, int dstOff) {
        int length;
        if (candidates.size() == 1) {
            CodecId only = candidates.getFirst();
            length = writer.write(shape, src, srcOff, only, BlockCodecs.dictionaryFor(only, dict, model), dst, dstOff);
        } else if (current == null || sinceProbe == 0) {
            length = writer.writeSmallest(shape, src, srcOff, candidates, dict, model, dst, dstOff);
            probedModel = model;
            sinceProbe = 0;
            probes++;
        } else if (model != probedModel && candidates.contains(CodecId.CONTEXT_MODEL) && current != CodecId.CONTEXT_MODEL) {
            length = writer.writeSmallest(shape, src, srcOff, List.of(current, CodecId.CONTEXT_MODEL), dict, model, dst, dstOff);
            probedModel = model;
        } else {
            length = writer.write(shape, src, srcOff, current, BlockCodecs.dictionaryFor(current, dict, model), dst, dstOff);
        }
        current = writer.lastCodec();
        sinceProbe = (sinceProbe + 1) % reprobeInterval;
        return length;
    }

    /** The codec of the last block, null before the first. */
    public CodecId current() { return current; }

    /** How many blocks were probed with every candidate (a new model's trial against the winner is not one). */
    public int probes() { return probes; }
}
