package io.heavykv.codec.eval;

import io.heavykv.codec.BlockShape;

import java.util.List;

/**
 * A KV dump in memory: per layer the K and the V of every token, raw little-endian, token-major.
 * Blocks are cut from these streams exactly as the runtime cuts them: consecutive runs of
 * {@code blockTokens} tokens, the last one possibly shorter.
 */
public record KvDump(KvDumpHeader header, List<byte[]> keys, List<byte[]> values) {
    public KvDump {
        keys = List.copyOf(keys);
        values = List.copyOf(values);
        if (keys.size() != header.layers() || values.size() != header.layers()) {
            throw new IllegalArgumentException("dump of " + header.layers() + " layers got " + keys.size() + " K and "
                    + values.size() + " V streams");
        }
        for (int l = 0; l < header.layers(); l++) {
            if (keys.get(l).length != header.streamBytes() || values.get(l).length != header.streamBytes()) {
                throw new IllegalArgumentException("layer " + l + ": K/V streams of " + keys.get(l).length + "/"
                        + values.get(l).length + " bytes, expected " + header.streamBytes());
            }
        }
    }

    /** Which of a layer's two streams. */
    public enum Stream { K, V }

    public byte[] stream(int layer, Stream stream) { return stream == Stream.K ? keys.get(layer) : values.get(layer); }

    public int blockCount(int blockTokens) { return (header.tokens() + blockTokens - 1) / blockTokens; }

    public BlockShape blockShape(int blockTokens, int block) {
        int tokens = Math.min(blockTokens, header.tokens() - block * blockTokens);
        return new BlockShape(header.dtype(), tokens, header.channels());
    }

    public int blockOffset(int blockTokens, int block) {
        return block * blockTokens * header.channels() * header.dtype().bytes();
    }
}
