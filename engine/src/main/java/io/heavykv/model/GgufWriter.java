package io.heavykv.model;

import io.heavykv.files.OutputFile;
import io.heavykv.tensor.Parallel;
import io.heavykv.tensor.Quantizer;
import io.heavykv.tensor.TensorType;
import io.heavykv.tensor.WeightMatrices;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a GGUF v3 file. Tensor data is streamed: each matrix is produced row by row through a
 * {@link RowSource} in chunks of a few MB, encoded on all cores and written out, so the size of the model
 * never matters for memory.
 */
public final class GgufWriter {
    /** Produces one row of a matrix. Called from several threads at once for different rows. */
    @FunctionalInterface
    public interface RowSource {
        void row(int row, float[] out);
    }

    private static final int ALIGNMENT = GgufParser.DEFAULT_ALIGNMENT;
    private static final long CHUNK_BYTES = 8 << 20;

    private final Map<String, Value> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();

    private record Value(int type, Object value) {
    }

    private record Tensor(String name, TensorType type, int rows, int cols, boolean vector, RowSource source) {
        long bytes() { return type.byteSize((long) rows * cols); }
    }

    public GgufWriter putString(String key, String value) { return put(key, 8, value); }

    public GgufWriter putUInt32(String key, int value) { return put(key, 4, value); }

    public GgufWriter putFloat32(String key, float value) { return put(key, 6, value); }

    public GgufWriter putBool(String key, boolean value) { return put(key, 7, value); }

    public GgufWriter putStrings(String key, List<String> value) { return put(key, 9, List.copyOf(value)); }

    public GgufWriter putFloat32s(String key, float[] value) { return put(key, 9, value.clone()); }

    public GgufWriter putInt32s(String key, int[] value) { return put(key, 9, value.clone()); }

    /** A 1-D F32 tensor (norm weights). */
    public GgufWriter vector(String name, float[] values) {
        float[] copy = values.clone();
        return add(new Tensor(name, TensorType.F32, 1, copy.length, true,
                (row, out) -> System.arraycopy(copy, 0, out, 0, copy.length)));
    }

    /**
     * A {@code rows x cols} matrix stored as {@code type}, or as F32 when {@code cols} is no whole number of
     * that type's blocks (GGML quantizes along rows only).
     */
    public GgufWriter matrix(String name, TensorType type, int rows, int cols, RowSource source) {
        TensorType stored = storedType(type, cols);
        WeightMatrices.byteSize(stored, rows, cols);
        return add(new Tensor(name, stored, rows, cols, false, source));
    }

    /** The type {@link #matrix} would store a tensor of {@code cols} columns in, when asked for {@code type}. */
    public static TensorType storedType(TensorType type, int cols) {
        return cols % type.blockSize() == 0 ? type : TensorType.F32;
    }

    /**
     * Writes the file through {@link OutputFile}, so a failure leaves {@code out} as it was; {@code inputs}
     * (the files the tensors are read from) are refused as {@code out}.
     */
    public void write(Path out, Path... inputs) throws IOException {
        OutputFile.write(out, temporary -> {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(channel, ByteBuffer.wrap(header()));
                for (Tensor t : tensors) writeData(channel, t);
            }
        }, inputs);
    }

    private GgufWriter put(String key, int type, Object value) {
        if (metadata.putIfAbsent(key, new Value(type, value)) != null) throw new IllegalArgumentException("duplicate metadata key " + key);
        return this;
    }

    private GgufWriter add(Tensor t) {
        if (!tensorNames.add(t.name())) throw new IllegalArgumentException("duplicate tensor " + t.name());
        tensors.add(t);
        return this;
    }

    private byte[] header() {
        Le out = new Le();
        out.u32(GgufParser.MAGIC);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        metadata.forEach((key, v) -> {
            out.string(key);
            out.u32(v.type());
            out.value(v.type(), v.value());
        });
        long offset = 0;
        for (Tensor t : tensors) {
            out.string(t.name());
            out.u32(t.vector() ? 1 : 2);
            out.u64(t.cols());
            if (!t.vector()) out.u64(t.rows());
            out.u32(t.type().ggmlId());
            out.u64(offset);
            offset = align(offset + t.bytes());
        }
        out.pad();
        return out.toByteArray();
    }

    private static void writeData(FileChannel channel, Tensor t) throws IOException {
        long rowBytes = t.type().byteSize(t.cols());
        int chunkRows = (int) Math.max(1, Math.min(t.rows(), CHUNK_BYTES / rowBytes));
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) (chunkRows * rowBytes));
        MemorySegment chunk = MemorySegment.ofBuffer(buffer);
        for (int r0 = 0; r0 < t.rows(); r0 += chunkRows) {
            int first = r0;
            int n = Math.min(chunkRows, t.rows() - r0);
            Parallel.forRange(0, n, (a, b) -> {
                float[] row = new float[t.cols()];
                for (int r = a; r < b; r++) {
                    t.source().row(first + r, row);
                    Quantizer.encode(t.type(), row, 0, t.cols(), chunk, r * rowBytes);
                }
            });
            writeFully(channel, buffer.clear().limit((int) (n * rowBytes)));
        }
        int padding = (int) (align(t.bytes()) - t.bytes());
        writeFully(channel, ByteBuffer.allocate(padding));
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Little-endian GGUF encoding of header values. */
    private static final class Le extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u32(int v) { write(scratch.clear().putInt(v).array(), 0, 4); }

        void u64(long v) { write(scratch.clear().putLong(v).array(), 0, 8); }

        void f32(float v) { write(scratch.clear().putFloat(v).array(), 0, 4); }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            write(b, 0, b.length);
        }

        void value(int type, Object v) {
            switch (type) {
                case 4 -> u32((Integer) v);
                case 6 -> f32((Float) v);
                case 7 -> write((Boolean) v ? 1 : 0);
                case 8 -> string((String) v);
                case 9 -> array(v);
                default -> throw new IllegalStateException("type " + type);
            }
        }

        private void array(Object v) {
            if (v instanceof float[] f) {
                u32(6);
                u64(f.length);
                for (float x : f) f32(x);
            } else if (v instanceof int[] ints) {
                u32(5);
                u64(ints.length);
                for (int x : ints) u32(x);
            } else {
                @SuppressWarnings("unchecked")
                List<String> strings = (List<String>) v;
                u32(8);
                u64(strings.size());
                strings.forEach(this::string);
            }
        }

        void pad() {
            while (count % ALIGNMENT != 0) write(0);
        }
    }
}
