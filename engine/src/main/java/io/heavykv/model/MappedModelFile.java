package io.heavykv.model;

import io.heavykv.tensor.TensorType;
import io.heavykv.tensor.WeightMatrices;
import io.heavykv.tensor.WeightMatrix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model file mapped read-only into memory, with bounds-checked views whose errors name the file, the
 * tensor and the byte range, so a truncated or inconsistent file fails clearly instead of deep in a kernel.
 */
final class MappedModelFile implements AutoCloseable {
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Every mapping still open, so a fault on a mapped page can be traced to the file that shrank. */
    private static final Set<MappedModelFile> OPEN = ConcurrentHashMap.newKeySet();
    /** Mappings found shrunk as they closed: the error their fault raised is reported after the model closed. */
    private static final List<String> CLOSED_SHRUNK = new CopyOnWriteArrayList<>();

    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;

    private MappedModelFile(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
        OPEN.add(this);
    }

    /**
     * The open mappings whose file is now shorter than what was mapped, described for a person: reading a
     * page past the new end makes the JVM throw an {@link InternalError} that names no file.
     */
    static List<String> shrunk() {
        List<String> found = new ArrayList<>(CLOSED_SHRUNK);
        for (MappedModelFile f : OPEN) f.shrinkage().ifPresent(found::add);
        return found;
    }

    private Optional<String> shrinkage() {
        long now;
        try {
            now = Files.size(path);
        } catch (IOException e) {
            now = -1;
        }
        return now >= size() ? Optional.empty()
                : Optional.of(path + " (mapped with " + size() + " bytes, " + (now < 0 ? "now gone" : "now " + now) + ")");
    }

    static MappedModelFile open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) throw new InvalidModelException("model file not found: " + path);
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) throw new InvalidModelException("model file is empty: " + path);
            return new MappedModelFile(path, arena, channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    Path path() { return path; }

    long size() { return segment.byteSize(); }

    MemorySegment segment() { return segment; }

    /** {@code bytes} bytes at {@code offset}, or a clear error when the file does not hold them. */
    MemorySegment slice(String what, long offset, long bytes) {
        if (offset < 0 || bytes < 0 || offset > size() || bytes > size() - offset) {
            throw new InvalidModelException(path + ": " + what + " needs bytes [" + offset + ", "
                    + (offset + bytes) + ") but the file has " + size() + " bytes (truncated or corrupt?)");
        }
        return segment.asSlice(offset, bytes);
    }

    WeightMatrix matrix(String what, TensorType type, long offset, int rows, int cols) {
        return matrix(what, type, offset, rows, cols, false);
    }

    /**
     * A view of the tensor at {@code offset}, or with {@code repack} its {@link WeightMatrices#repacked decode
     * layout} copied out of the file when the type has one.
     */
    WeightMatrix matrix(String what, TensorType type, long offset, int rows, int cols, boolean repack) {
        long bytes;
        try {
            bytes = WeightMatrices.byteSize(type, rows, cols);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(path + ": " + what + ": " + e.getMessage(), e);
        }
        MemorySegment slice = slice(what, offset, bytes);
        WeightMatrix mapped = WeightMatrices.of(type, slice, rows, cols);
        if (!repack) return mapped;
        WeightMatrix packed = WeightMatrices.repacked(mapped);
        // The copy replaces these pages: unmapping them keeps resident memory from holding the weights twice
        // (they stay in the page cache, reclaimable, and fault back in if something reads them again).
        if (packed != mapped) slice.unload();
        return packed;
    }

    float[] floats(String what, long offset, int count) {
        MemorySegment source = slice(what, offset, 4L * count);
        float[] out = new float[count];
        MemorySegment.copy(source, FLOAT_LE, 0, out, 0, count);
        return out;
    }

    @Override
    public void close() {
        if (OPEN.remove(this)) shrinkage().ifPresent(CLOSED_SHRUNK::add);
        arena.close();
    }
}
