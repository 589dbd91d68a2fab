package io.heavykv.codec;

import java.util.Arrays;

/**
 * The distinct rows one stream's {@link ContextModelTrainer} has seen, append-only, with an open-addressing
 * index of them; shared by every {@link ContextModel} snapshot of the stream, each of which sees only the
 * rows that existed when it was made. Sharing (rather than a copy per snapshot) keeps a stream's rows in
 * memory once, whatever the number of snapshots.
 *
 * <p>One writer (the trainer), any number of readers. Rows and index entries are only ever added, never
 * changed: a reader that looks for row {@code r < rowCount} finds it on its probe chain whether or not it
 * also sees entries added later, which it skips. Growing copies into new arrays, published through
 * volatile fields after they are complete, so the old ones become garbage as soon as readers move on.
 */
final class RowStore {
    private final int rowBytes;
    private final int maxRows;
    private volatile byte[] rows = new byte[0];
    private volatile int[] index = new int[0];
    private int rowCount;

    RowStore(int rowBytes, int maxRows) {
        this.rowBytes = rowBytes;
        this.maxRows = maxRows;
    }

    int rowCount() { return rowCount; }

    /** A hash of the row at {@code a[off]}, for {@link #find} and {@link #add}. */
    int hash(byte[] a, int off) { return DedupPlaneCodec.hash(a, off, rowBytes); }

    /** The number below {@code limit} of the row equal to {@code a[off, off+rowBytes)} with hash {@code hash}, or -1. */
    int find(byte[] a, int off, int hash, int limit) {
        if (limit == 0) return -1;
        int[] idx = index;
        byte[] store = rows;
        int mask = idx.length - 1;
        for (int slot = hash & mask; idx[slot] >= 0; slot = (slot + 1) & mask) {
            int r = idx[slot];
            if (r < limit && Arrays.equals(a, off, off + rowBytes, store, r * rowBytes, (r + 1) * rowBytes)) return r;
        }
        return -1;
    }

    /** Adds the row at {@code src[off]} unless the store holds it or is full; returns whether it held it already. */
    boolean add(byte[] src, int off) {
        int hash = hash(src, off);
        if (find(src, off, hash, rowCount) >= 0) return true;
        if (rowCount == maxRows) return false;
        if (2 * (rowCount + 1) > index.length) growIndex();
        byte[] store = rows;
        if ((rowCount + 1) * rowBytes > store.length) {
            store = Arrays.copyOf(store, Math.min(maxRows, Math.max(16, 2 * rowCount)) * rowBytes);
        }
        System.arraycopy(src, off, store, rowCount * rowBytes, rowBytes);
        rows = store;
        int[] idx = index;
        int mask = idx.length - 1;
        int slot = hash & mask;
        while (idx[slot] >= 0) slot = (slot + 1) & mask;
        idx[slot] = rowCount++;
        return false;
    }

    void copyRow(int row, byte[] dst, int dstOff) {
        System.arraycopy(rows, row * rowBytes, dst, dstOff, rowBytes);
    }

    /** Heap bytes of the rows and the index. */
    long bytes() { return rows.length + 4L * index.length; }

    private void growIndex() {
        int[] bigger = new int[Math.max(64, 2 * index.length)];
        Arrays.fill(bigger, -1);
        int mask = bigger.length - 1;
        for (int r = 0; r < rowCount; r++) {
            int slot = hash(rows, r * rowBytes) & mask;
            while (bigger[slot] >= 0) slot = (slot + 1) & mask;
            bigger[slot] = r;
        }
        index = bigger;
    }
}
