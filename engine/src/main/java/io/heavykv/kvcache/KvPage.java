package io.heavykv.kvcache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Up to {@code capacity} consecutive cached tokens of one layer: their K and V for every KV head, their
 * original positions and block ids.
 *
 * <p>K and V are laid out head-major, {@code [kvHead][token][headSize]}, so one head's keys in a page are
 * a single contiguous run: attention reads (and converts from FP16) one run per page and head.
 *
 * <p>Seam for lossless compression: {@link #rawBytes()} exports the K/V payload, {@link #release()}
 * frees it, {@link #restore(byte[])} puts it back. {@link #version()} changes whenever the payload
 * changes, so a compressed frame made at version v is still valid while the page reports v.
 * Metadata (count, positions, block ids) stays resident; reading or changing K/V of a released page
 * fails with {@link IllegalStateException}.
 *
 * <p>A restored payload can also be {@linkplain #share shared}: a decode cache keeps one {@link Payload} and
 * every restore of the page reads those very arrays, with no copy and no allocation (store mode restores
 * each released page once per step). A page copies a shared payload before it first changes it.
 */
public final class KvPage {
    private final KvDType dtype;
    private final int capacity;
    private final int kvHeads;
    private final int headSize;
    private final int[] positions;
    private final int[] blocks;
    /** K and V of the whole capacity; null while released. */
    private PageRows keys;
    private PageRows values;
    private int count;
    private long version;
    private boolean resident;
    /** K/V arrays belong to a {@link Payload} others may read: copy before writing. */
    private boolean shared;

    /**
     * K and V arrays of a page, detached from it, in the page's own layout: what a decode cache keeps so that
     * restores need not copy. Never written once made.
     */
    public static final class Payload {
        private final PageRows keys;
        private final PageRows values;

        private Payload(PageRows keys, PageRows values) {
            this.keys = keys;
            this.values = values;
        }

        /** Heap bytes of the K and V arrays. */
        public long bytes() {
            return 2L * keys.elements() * keys.dtype().bytes();
        }
    }

    public KvPage(KvDType dtype, int capacity, int kvHeads, int headSize) {
        this.dtype = dtype;
        this.capacity = capacity;
        this.kvHeads = kvHeads;
        this.headSize = headSize;
        this.positions = new int[capacity];
        this.blocks = new int[capacity];
        take(emptyPayload(), false);
    }

    /** Values K (or V) takes for the whole capacity: the length of each array. */
    private int elements() { return capacity * kvHeads * headSize; }

    /** Zeroed K and V arrays of this page's format. */
    private Payload emptyPayload() {
        return new Payload(PageRows.allocate(dtype, elements()), PageRows.allocate(dtype, elements()));
    }

    public KvDType dtype() { return dtype; }

    public int capacity() { return capacity; }

    public int count() { return count; }

    public boolean isFull() { return count == capacity; }

    public int position(int token) { return positions[checkToken(token)]; }

    public int blockId(int token) { return blocks[checkToken(token)]; }

    /** Changes whenever K/V or the token count change. */
    public long version() { return version; }

    public boolean resident() { return resident; }

    /** Bytes held for K and V (the whole capacity, as allocated). */
    public long residentBytes() {
        return resident ? 2L * capacity * kvHeads * headSize * dtype.bytes() : 0;
    }

    /** Appends one token; {@code k} and {@code v} hold its kvHeads * headSize values from the offsets. */
    public void append(float[] k, int kOffset, float[] v, int vOffset, int position, int blockId) {
        requireWritable();
        if (count == capacity) throw new IllegalStateException("page is full (" + capacity + " tokens)");
        for (int h = 0; h < kvHeads; h++) {
            int dst = row(h, count);
            int src = h * headSize;
            keys.write(dst, k, kOffset + src, headSize);
            values.write(dst, v, vOffset + src, headSize);
        }
        positions[count] = position;
        blocks[count] = blockId;
        count++;
        version++;
    }

    /** Decodes keys of tokens [0, n) of one head into {@code dst[0, n * headSize)}. */
    public void readKeys(int kvHead, int n, float[] dst) {
        requireResident();
        keys.read(row(kvHead, 0), n * headSize, dst);
    }

    /** Decodes values of tokens [0, n) of one head into {@code dst[0, n * headSize)}. */
    public void readValues(int kvHead, int n, float[] dst) {
        requireResident();
        values.read(row(kvHead, 0), n * headSize, dst);
    }

    /** The keys as stored, for attention to read through {@link PageRows#readable} (no copy for FP32); see {@link #rowBase(int)}. */
    PageRows keyRows() {
        requireResident();
        return keys;
    }

    PageRows valueRows() {
        requireResident();
        return values;
    }

    /** Original positions of the held tokens, in entries [0, count): for kernels that rotate keys as they read. */
    int[] positions() { return positions; }

    /** Index of token 0 of a head in the K/V arrays. */
    int rowBase(int kvHead) { return row(kvHead, 0); }

    /**
     * Moves tokens [from, from + n) down to [to, to + n) ({@code to <= from}); compaction within the page.
     * The caller {@linkplain #truncate truncates} afterwards.
     */
    public void moveTokens(int from, int to, int n) {
        if (to > from || from + n > count || to < 0 || n < 0) {
            throw new IllegalArgumentException("cannot move tokens [" + from + ", " + (from + n) + ") to " + to
                    + " in a page of " + count);
        }
        if (to == from || n == 0) return;
        requireWritable();
        for (int h = 0; h < kvHeads; h++) {
            keys.move(row(h, from), row(h, to), n * headSize);
            values.move(row(h, from), row(h, to), n * headSize);
        }
        System.arraycopy(positions, from, positions, to, n);
        System.arraycopy(blocks, from, blocks, to, n);
        version++;
    }

    /** Drops tokens from {@code newCount} on. */
    public void truncate(int newCount) {
        if (newCount < 0 || newCount > count) {
            throw new IllegalArgumentException("cannot truncate a page of " + count + " tokens to " + newCount);
        }
        if (newCount != count) {
            count = newCount;
            version++;
        }
    }

    /** Appends tokens [from, from + n) of another page of the same format (merging under-full pages). */
    public void appendFrom(KvPage other, int from, int n) {
        requireWritable();
        other.requireResident();
        if (other.dtype != dtype || other.kvHeads != kvHeads || other.headSize != headSize) {
            throw new IllegalArgumentException("pages of different formats cannot merge");
        }
        if (count + n > capacity || from < 0 || from + n > other.count) {
            throw new IllegalArgumentException("cannot append tokens [" + from + ", " + (from + n) + ") of a page of "
                    + other.count + " to a page holding " + count + " of " + capacity);
        }
        for (int h = 0; h < kvHeads; h++) {
            keys.copy(other.keys, other.row(h, from), row(h, count), n * headSize);
            values.copy(other.values, other.row(h, from), row(h, count), n * headSize);
        }
        System.arraycopy(other.positions, from, positions, count, n);
        System.arraycopy(other.blocks, from, blocks, count, n);
        count += n;
        version++;
    }

    /** Size of {@link #rawBytes()}: K then V of the held tokens. */
    public int rawByteSize() {
        return 2 * count * kvHeads * headSize * dtype.bytes();
    }

    /**
     * The K/V payload of the held tokens, little-endian: all keys (head-major, token, element), then all
     * values in the same order. FP16 elements are IEEE half bits, FP32 elements IEEE single bits.
     */
    public byte[] rawBytes() {
        requireResident();
        ByteBuffer out = ByteBuffer.allocate(rawByteSize()).order(ByteOrder.LITTLE_ENDIAN);
        transfer(out, keys, values, true);
        return out.array();
    }

    /**
     * Copies the held tokens' K and V between the page layout ({@code keys}, {@code values}) and the
     * {@link #rawBytes()} layout in {@code raw}: into {@code raw} when {@code toRaw}, else out of it.
     */
    private void transfer(ByteBuffer raw, PageRows keys, PageRows values, boolean toRaw) {
        int n = count * headSize;
        for (PageRows rows : new PageRows[] {keys, values}) {
            for (int h = 0; h < kvHeads; h++) {
                if (toRaw) rows.toRaw(raw, row(h, 0), n);
                else rows.fromRaw(raw, row(h, 0), n);
            }
        }
    }

    /** Frees the K/V payload (after a lossless runtime compressed it); metadata stays. */
    public void release() {
        keys = values = null;
        resident = false;
        shared = false;
    }

    /** Puts back a payload in the {@link #rawBytes()} layout; the version does not change. */
    public void restore(byte[] raw) {
        take(payloadOf(raw), false);
    }

    /**
     * Puts back a payload made by {@link #payloadOf} of this page (or of a page of the same format and count
     * with the same content), reading its arrays in place; the version does not change.
     */
    public void share(Payload payload) {
        take(payload, true);
    }

    /** A payload of this page's format from bytes in the {@link #rawBytes()} layout of its {@link #count()} tokens. */
    public Payload payloadOf(byte[] raw) {
        if (raw.length != rawByteSize()) {
            throw new IllegalArgumentException("page payload of " + raw.length + " bytes, expected " + rawByteSize()
                    + " for " + count + " tokens");
        }
        Payload payload = emptyPayload();
        transfer(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN), payload.keys, payload.values, false);
        return payload;
    }

    private void take(Payload payload, boolean shares) {
        int elements = elements();
        if (payload.keys.dtype() != dtype || payload.keys.elements() != elements) {
            throw new IllegalArgumentException("payload of another page format than " + dtype + " x " + elements);
        }
        keys = payload.keys;
        values = payload.values;
        resident = true;
        shared = shares;
    }

    /** Makes the arrays this page's own before a write. */
    private void requireWritable() {
        requireResident();
        if (!shared) return;
        keys = keys.copy();
        values = values.copy();
        shared = false;
    }

    private int row(int kvHead, int token) {
        return (kvHead * capacity + token) * headSize;
    }

    private int checkToken(int token) {
        if (token < 0 || token >= count) {
            throw new IndexOutOfBoundsException("token " + token + " of a page holding " + count);
        }
        return token;
    }

    private void requireResident() {
        if (!resident) throw new IllegalStateException("page K/V payload was released; restore it before use");
    }
}
