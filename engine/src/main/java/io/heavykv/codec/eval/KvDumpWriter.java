package io.heavykv.codec.eval;

import io.heavykv.files.OutputFile;
import io.heavykv.kvcache.KvDType;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a KV dump ({@link KvDumpFormat}) layer by layer, so the engine need not hold every layer at once.
 * Layers must come in order; {@link #close()} fails if some are missing, and then leaves the target file as
 * it was (the dump is an {@link OutputFile}).
 */
public final class KvDumpWriter implements Closeable {
    private final KvDumpHeader header;
    private final OutputFile file;
    private final OutputStream out;
    private int nextLayer;

    public KvDumpWriter(Path path, KvDumpHeader header) throws IOException {
        this.header = header;
        byte[] name = header.model().getBytes(StandardCharsets.UTF_8);
        if (name.length > KvDumpHeader.MAX_MODEL_NAME_BYTES) {
            throw new IllegalArgumentException("model name of " + name.length + " bytes exceeds " + KvDumpHeader.MAX_MODEL_NAME_BYTES);
        }
        this.file = OutputFile.open(path);
        this.out = new BufferedOutputStream(Files.newOutputStream(file.temporary()), 1 << 16);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 2 + name.length + 4 * 3 + 1 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(KvDumpFormat.MAGIC).putInt(KvDumpFormat.VERSION).putShort((short) name.length).put(name)
                .putInt(header.layers()).putInt(header.kvHeads()).putInt(header.headSize())
                .put((byte) KvDumpFormat.dtypeCode(header.dtype())).putInt(header.tokens());
        out.write(b.array());
    }

    /** Appends the next layer's K and V streams (raw bytes, {@link KvDumpHeader#streamBytes()} each). */
    public void writeLayer(byte[] keys, byte[] values) throws IOException {
        if (nextLayer >= header.layers()) throw new IllegalStateException("all " + header.layers() + " layers already written");
        for (byte[] s : new byte[][] {keys, values}) {
            if (s.length != header.streamBytes()) {
                throw new IllegalArgumentException("layer " + nextLayer + ": stream of " + s.length + " bytes, expected " + header.streamBytes());
            }
            out.write(s);
        }
        nextLayer++;
    }

    @Override
    public void close() throws IOException {
        try (file) {
            out.close();
            if (nextLayer != header.layers()) {
                throw new IllegalStateException("dump closed after " + nextLayer + " of " + header.layers() + " layers");
            }
            file.commit();
        }
    }

    public static void write(Path path, KvDump dump) throws IOException {
        try (KvDumpWriter w = new KvDumpWriter(path, dump.header())) {
            for (int l = 0; l < dump.header().layers(); l++) w.writeLayer(dump.keys().get(l), dump.values().get(l));
        }
    }

    /** Float activations as the cache would store them: FP16 by IEEE round-to-nearest-even, or FP32 bits. */
    public static byte[] encode(float[] values, KvDType dtype) {
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (dtype == KvDType.FP16) b.putShort(Float.floatToFloat16(v));
            else b.putInt(Float.floatToRawIntBits(v));
        }
        return b.array();
    }
}
