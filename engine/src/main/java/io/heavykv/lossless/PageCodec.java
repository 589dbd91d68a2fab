package io.heavykv.lossless;

import io.heavykv.codec.BlockShape;
import io.heavykv.codec.CodecContext;
import io.heavykv.codec.Dictionaries;
import io.heavykv.codec.FrameHeader;
import io.heavykv.codec.FrameReader;
import io.heavykv.codec.FrameWriter;
import io.heavykv.codec.StreamCoder;
import io.heavykv.kvcache.KvDType;

import java.util.Arrays;

/**
 * Turns page payloads into {@link PageFrames} and back, with one thread's codec context and scratch buffers
 * (one per worker, one for the decode thread). The per-stream codec choices live in the shared
 * {@link StreamCoder}s.
 */
final class PageCodec implements AutoCloseable {
    private final KvDType dtype;
    private final int channels;
    private final PageLayout layout;
    private final StreamCoder[][] streams;
    private final CodecContext ctx;
    private final FrameWriter writer;
    private final FrameReader reader;
    private byte[] k = new byte[0];
    private byte[] v = new byte[0];
    private byte[] frame = new byte[0];

    PageCodec(KvDType dtype, int kvHeads, int headSize, StreamCoder[][] streams, int zstdLevel, Dictionaries dictionaries) {
        this.dtype = dtype;
        this.channels = kvHeads * headSize;
        this.layout = new PageLayout(kvHeads, headSize, dtype.bytes());
        this.streams = streams;
        this.ctx = new CodecContext(zstdLevel);
        this.writer = new FrameWriter(ctx);
        this.reader = new FrameReader(ctx, dictionaries::get);
    }

    /**
     * Compresses a page payload of {@code tokens} tokens of {@code layer}, made at {@code version}.
     *
     * @param positions the tokens' positions (the streams learn from each position once), or null: all new
     */
    PageFrames encode(int layer, byte[] raw, int tokens, int[] positions, long version) {
        BlockShape shape = new BlockShape(dtype, tokens, channels);
        ensure(shape);
        layout.split(raw, tokens, k, v);
        StreamCoder.Encoded kc = streams[layer][0].encode(writer, shape, k, 0, positions, frame);
        byte[] kFrame = Arrays.copyOf(frame, kc.header().frameLength());
        StreamCoder.Encoded vc = streams[layer][1].encode(writer, shape, v, 0, positions, frame);
        byte[] vFrame = Arrays.copyOf(frame, vc.header().frameLength());
        FrameKey key = new FrameKey(kc.header().checksum(), vc.header().checksum(), kFrame.length, vFrame.length,
                Arrays.hashCode(kFrame), Arrays.hashCode(vFrame));
        return new PageFrames(kFrame, vFrame, version, tokens, raw.length, key, kc.label(), vc.label(),
                kc.header().dictionaryId(), vc.header().dictionaryId());
    }

    /**
     * The page payload the frames encode.
     *
     * @throws io.heavykv.codec.CorruptFrameException when either frame does not decode exactly, or describes
     *         another shape than the page's
     */
    byte[] decode(PageFrames frames) {
        BlockShape shape = new BlockShape(dtype, frames.tokens(), channels);
        ensure(shape);
        int half = layout.streamBytes(frames.tokens());
        check("K", reader.read(frames.k(), 0, frames.k().length, k, 0), shape, frames.key().kChecksum());
        check("V", reader.read(frames.v(), 0, frames.v().length, v, 0), shape, frames.key().vChecksum());
        byte[] page = new byte[2 * half];
        layout.join(k, v, frames.tokens(), page);
        return page;
    }

    /**
     * Each frame checks its own bytes against its own checksum; this checks it is the page's frame at all: a
     * valid frame of another block (the K and V frames swapped, another page's) decodes without error.
     */
    private static void check(String stream, FrameHeader header, BlockShape expected, int checksum) {
        if (!header.shape().equals(expected)) {
            throw new io.heavykv.codec.CorruptFrameException(stream + " frame holds a " + header.shape()
                    + " block, the page needs " + expected);
        }
        if (header.checksum() != checksum) {
            throw new io.heavykv.codec.CorruptFrameException(stream + " frame is not this page's (checksum " + Integer.toHexString(header.checksum())
                    + ", the page's frames were made with " + Integer.toHexString(checksum) + ")");
        }
    }

    private void ensure(BlockShape shape) {
        if (k.length < shape.rawBytes()) {
            k = new byte[shape.rawBytes()];
            v = new byte[shape.rawBytes()];
        }
        int max = FrameWriter.maxFrameLength(shape);
        if (frame.length < max) frame = new byte[max];
    }

    @Override
    public void close() { ctx.close(); }
}
