package io.heavykv.model;

import io.heavykv.tensor.TensorType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a GGUF v2/v3 header from a mapped file. Every count and length is checked against the bytes left
 * in the file before anything is allocated, so a corrupt header fails with a message instead of an
 * OutOfMemoryError or a long loop.
 */
final class GgufParser {
    static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    static final String ALIGNMENT_KEY = "general.alignment";
    static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_ARRAY_NESTING = 8;
    private static final int MAX_DIMS = 4;

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment in;
    private final String file;
    private long pos;

    private GgufParser(MemorySegment in, String file) {
        this.in = in;
        this.file = file;
    }

    static GgufFile parse(MemorySegment segment, String file) {
        return new GgufParser(segment, file).parse();
    }

    private GgufFile parse() {
        int magic = u32("magic");
        if (magic != MAGIC) throw error("not a GGUF file (magic 0x" + Integer.toHexString(magic) + ")");
        int version = u32("version");
        if (version != 2 && version != 3) {
            throw error("GGUF version " + Integer.toUnsignedString(version) + " is not supported (only 2 and 3)");
        }
        long tensorCount = u64("tensor count");
        long kvCount = u64("metadata count");
        // Smallest possible entries: a key/value is a length, an empty key, a type and one byte; a tensor
        // info is a length, an empty name, n_dims, one dim, a type and an offset.
        requireCount("metadata count", kvCount, 8 + 4 + 1);
        Map<String, Object> metadata = new HashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string("metadata key #" + i);
            int type = u32("type of " + key);
            metadata.put(key, value(key, type, 0));
        }
        requireCount("tensor count", tensorCount, 8 + 4 + 8 + 4 + 8);
        Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            GgufTensorInfo t = tensorInfo(i);
            if (tensors.put(t.name(), t) != null) throw error("tensor " + t.name() + " appears twice");
        }
        int alignment = alignment(metadata.get(ALIGNMENT_KEY));
        long dataOffset = (pos + alignment - 1) / alignment * alignment;
        // A file without tensors (a vocabulary-only GGUF) may end before its data section's alignment padding.
        if (tensors.isEmpty()) dataOffset = Math.min(dataOffset, in.byteSize());
        if (dataOffset > in.byteSize()) throw error("the data section would start at " + dataOffset + ", past the end of the file");
        long dataBytes = in.byteSize() - dataOffset;
        for (GgufTensorInfo t : tensors.values()) checkExtent(t, dataBytes, alignment);
        return new GgufFile(version, metadata, tensors, dataOffset, alignment);
    }

    /**
     * Writers (llama.cpp's and gguf-py's, and {@link GgufWriter}) lay tensors out one after another, each padded
     * to the alignment, the last one included, and llama.cpp's reader refuses offsets laid out otherwise. So
     * bytes shared by two tensors, bytes no tensor owns, or data ending well before the file does mean the header
     * does not describe the data: a tensor's type or shape, or {@code general.alignment}, was damaged. Loading anyway would compute
     * garbage (NaN logits at best), so the field is named here. A reader calls this after its own checks of
     * shapes against the config, which name such damage more precisely when they see it. Tensors of unknown
     * type cannot be sized: the bytes after one are not checked.
     */
    static void requireLayout(GgufFile gguf, long fileBytes, String file) {
        long dataBytes = fileBytes - gguf.dataOffset();
        int alignment = gguf.alignment();
        List<GgufTensorInfo> byOffset = new ArrayList<>(gguf.tensors().values());
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 0; i < byOffset.size(); i++) {
            GgufTensorInfo t = byOffset.get(i);
            long end = end(t);
            if (end < 0) continue;
            if (i + 1 == byOffset.size()) {
                if (dataBytes - end >= alignment) {
                    throw new InvalidModelException(file + ": the data section, placed at file byte " + gguf.dataOffset()
                            + " by " + ALIGNMENT_KEY + "=" + alignment + ", holds " + (dataBytes - end) + " bytes after its last tensor " + t.name() + " (" + describe(t) + "): "
                            + ALIGNMENT_KEY + " or that tensor's type or shape is damaged");
                }
                break;
            }
            GgufTensorInfo after = byOffset.get(i + 1);
            if (after.offset() < end) {
                throw new InvalidModelException(file + ": tensors " + t.name() + " (data bytes " + t.offset() + ".." + end + ") and "
                        + after.name() + " (from " + after.offset() + ") overlap: the tensor table is damaged");
            }
            if (after.offset() != (end + alignment - 1) / alignment * alignment) {
                throw new InvalidModelException(file + ": tensor " + t.name() + " (" + describe(t) + ") ends at data byte " + end
                        + " but the next one, " + after.name() + ", starts at " + after.offset() + ": " + (after.offset() - end) + " bytes no tensor owns (its type or shape, or "
                        + ALIGNMENT_KEY + "=" + alignment + ", is damaged)");
            }
        }
    }

    /** Where a tensor's data ends within the data section, or -1 when its type is unknown. */
    private static long end(GgufTensorInfo t) {
        try {
            return t.offset() + TensorType.fromGgmlId(t.ggmlType()).byteSize(t.elements());
        } catch (IllegalArgumentException unknown) {
            return -1;
        }
    }

    private static String describe(GgufTensorInfo t) {
        return TensorType.fromGgmlId(t.ggmlType()) + " " + t.shape();
    }

    /**
     * Refuses per-block tensors ({@code blk.N.*}) of blocks at or past {@code blocks}, the block count the
     * metadata declares: a count lowered by damage would otherwise load a shallower model that computes garbage.
     */
    static void requireBlocksWithin(GgufFile gguf, int blocks, String file) {
        for (String name : gguf.tensors().keySet()) {
            if (!name.startsWith("blk.")) continue;
            int dot = name.indexOf('.', 4);
            if (dot < 0) continue;
            try {
                int block = Integer.parseInt(name.substring(4, dot));
                if (block >= blocks) {
                    throw new InvalidModelException(file + ": tensor " + name + " belongs to block " + block + " but the metadata declares "
                            + blocks + " blocks (block_count damaged?)");
                }
            } catch (NumberFormatException e) {
                // not a numbered block: none of this check's business
            }
        }
    }

    private GgufTensorInfo tensorInfo(long index) {
        String name = string("name of tensor #" + index);
        int nDims = u32("n_dims of tensor " + name);
        if (nDims < 1 || nDims > MAX_DIMS) throw error("tensor " + name + " has " + Integer.toUnsignedString(nDims) + " dimensions (1 to 4 allowed)");
        long[] dims = new long[nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            dims[d] = u64("dimension " + d + " of tensor " + name);
            if (dims[d] <= 0 || dims[d] > in.byteSize() * 2) {
                throw error("tensor " + name + " has an impossible dimension " + Long.toUnsignedString(dims[d]));
            }
            // No storage type packs more than two elements per byte, so a bigger tensor cannot fit the file.
            elements = dims[d] > Long.MAX_VALUE / elements ? Long.MAX_VALUE : elements * dims[d];
            if (elements > in.byteSize() * 2) throw error("tensor " + name + " has more elements than the file can hold");
        }
        int type = u32("type of tensor " + name);
        long offset = u64("offset of tensor " + name);
        return new GgufTensorInfo(name, dims, type, offset);
    }

    private void checkExtent(GgufTensorInfo t, long dataBytes, int alignment) {
        if (t.offset() < 0 || t.offset() > dataBytes) {
            throw error("tensor " + t.name() + " starts at data offset " + Long.toUnsignedString(t.offset())
                    + ", past the end of the file (data section has " + dataBytes + " bytes)");
        }
        if (t.offset() % alignment != 0) throw error("tensor " + t.name() + " offset " + t.offset() + " is not aligned to " + alignment);
        TensorType type;
        try {
            type = TensorType.fromGgmlId(t.ggmlType());
        } catch (IllegalArgumentException unknown) {
            return; // cannot size it; only an error if the model needs this tensor
        }
        if (t.elements() % type.blockSize() != 0 || t.dims()[0] % type.blockSize() != 0) {
            throw error("tensor " + t.name() + " of type " + type + " has " + t.dims()[0] + " columns, not a multiple of " + type.blockSize());
        }
        long bytes = type.byteSize(t.elements());
        if (bytes > dataBytes - t.offset()) {
            throw error("tensor " + t.name() + " needs " + bytes + " bytes at data offset " + t.offset()
                    + " but the file holds only " + (dataBytes - t.offset()) + " from there (truncated?)");
        }
    }

    private int alignment(Object value) {
        if (value == null) return DEFAULT_ALIGNMENT;
        if (!(value instanceof Long a) || a <= 0 || a > 1 << 20 || Long.bitCount(a) != 1) {
            throw error(ALIGNMENT_KEY + " must be a power of two, got " + value);
        }
        return (int) (long) a;
    }

    private Object value(String key, int type, int depth) {
        return switch (type) {
            case 0 -> (long) Byte.toUnsignedInt(bytes(key, 1).get(ValueLayout.JAVA_BYTE, 0));
            case 1 -> (long) bytes(key, 1).get(ValueLayout.JAVA_BYTE, 0);
            case 2 -> (long) Short.toUnsignedInt(bytes(key, 2).get(SHORT, 0));
            case 3 -> (long) bytes(key, 2).get(SHORT, 0);
            case 4 -> Integer.toUnsignedLong(u32(key));
            case 5 -> (long) u32(key);
            case 6 -> bytes(key, 4).get(FLOAT, 0);
            case 7 -> bytes(key, 1).get(ValueLayout.JAVA_BYTE, 0) != 0;
            case 8 -> string(key);
            case 9 -> array(key, depth);
            case 10, 11 -> u64(key);
            case 12 -> bytes(key, 8).get(DOUBLE, 0);
            default -> throw error("metadata " + key + " has unknown value type " + Integer.toUnsignedString(type));
        };
    }

    private Object array(String key, int depth) {
        if (depth >= MAX_ARRAY_NESTING) throw error("metadata " + key + " nests arrays more than " + MAX_ARRAY_NESTING + " deep");
        int type = u32("element type of " + key);
        long count = u64("length of " + key);
        int n = requireCount("length of array " + key, count, minSize(key, type));
        switch (type) {
            case 6 -> {
                float[] v = new float[n];
                MemorySegment.copy(bytes(key, 4L * n), FLOAT, 0, v, 0, n);
                return v;
            }
            case 12 -> {
                double[] v = new double[n];
                MemorySegment.copy(bytes(key, 8L * n), DOUBLE, 0, v, 0, n);
                return v;
            }
            case 7 -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) v[i] = (boolean) value(key, type, depth + 1);
                return v;
            }
            case 8 -> {
                List<String> v = new ArrayList<>(n);
                for (int i = 0; i < n; i++) v.add(string(key + "[" + i + "]"));
                return v;
            }
            case 9 -> {
                List<Object> v = new ArrayList<>(n);
                for (int i = 0; i < n; i++) v.add(array(key + "[" + i + "]", depth + 1));
                return v;
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) v[i] = (Long) value(key, type, depth + 1);
                return v;
            }
        }
    }

    private int minSize(String key, int type) {
        return switch (type) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case 4, 5, 6 -> 4;
            case 8, 10, 11, 12 -> 8;
            case 9 -> 12;
            default -> throw error("array " + key + " has unknown element type " + Integer.toUnsignedString(type));
        };
    }

    /** A count that cannot exceed what the rest of the file could hold at {@code minBytes} per item. */
    private int requireCount(String what, long count, int minBytes) {
        long remaining = in.byteSize() - pos;
        if (count < 0 || count > remaining / minBytes || count > Integer.MAX_VALUE - 8) {
            throw error(what + " is " + Long.toUnsignedString(count) + " but only " + remaining
                    + " bytes remain at offset " + pos);
        }
        return (int) count;
    }

    private String string(String what) {
        long length = u64("length of " + what);
        int n = requireCount("length of " + what, length, 1);
        MemorySegment bytes = bytes(what, n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(bytes.asByteBuffer()).toString();
        } catch (CharacterCodingException e) {
            throw error(what + " is not valid UTF-8");
        }
    }

    private int u32(String what) {
        return bytes(what, 4).get(INT, 0);
    }

    private long u64(String what) {
        return bytes(what, 8).get(LONG, 0);
    }

    private MemorySegment bytes(String what, long n) {
        if (n > in.byteSize() - pos) {
            throw error(what + " needs " + n + " bytes at offset " + pos + " but the file ends at " + in.byteSize() + " (truncated?)");
        }
        MemorySegment s = in.asSlice(pos, n);
        pos += n;
        return s;
    }

    private InvalidModelException error(String message) {
        return new InvalidModelException(file + ": " + message);
    }
}
