package io.heavykv.codec;

import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;

import java.util.Objects;

/**
 * A trained zstd dictionary (typically one per layer) with the id frames record to name it. The id is
 * the caller's, not zstd's: frames carry it in their header and the reader resolves it, so the zstd
 * streams themselves omit dictionary ids. Native digested forms are built once, on first use.
 */
public final class ZstdDictionary implements BlockDictionary {
    private final int id;
    private final byte[] content;
    private ZstdDictCompress compress;
    private int compressLevel;
    private ZstdDictDecompress decompress;

    public ZstdDictionary(int id, byte[] content) {
        if (id == 0) throw new IllegalArgumentException("dictionary id 0 means 'no dictionary' in frames");
        Objects.requireNonNull(content, "content");
        if (content.length == 0) throw new IllegalArgumentException("empty dictionary");
        this.id = id;
        this.content = content.clone();
    }

    @Override public int id() { return id; }

    /** A copy of the dictionary bytes, for storing it beside the frames. */
    public byte[] content() { return content.clone(); }

    public int size() { return content.length; }

    synchronized ZstdDictCompress forCompression(int level) {
        if (compress == null || compressLevel != level) {
            if (compress != null) compress.close();
            compress = new ZstdDictCompress(content, level);
            compressLevel = level;
        }
        return compress;
    }

    synchronized ZstdDictDecompress forDecompression() {
        if (decompress == null) decompress = new ZstdDictDecompress(content);
        return decompress;
    }

    @Override
    public synchronized void close() {
        if (compress != null) compress.close();
        if (decompress != null) decompress.close();
        compress = null;
        decompress = null;
    }
}
