package io.heavykv.kvcache;

import io.heavykv.model.Rope;

import java.util.ArrayList;
import java.util.List;

/**
 * One layer's cache as lists of pages. With tokens kept per layer there is one list, each page holding every KV
 * head of its tokens; with tokens kept per KV head ({@link KvStorage#perHeadKeep()}) every head has its own
 * list, a <em>lane</em> of one-head pages, so a token one head dropped takes none of that head's bytes. Appends
 * fill each lane's last page; eviction {@linkplain #retain keeps} slot ranges of a lane, dropping whole pages
 * and compacting the partly kept ones, so pages a plan does not touch keep their contents and
 * {@linkplain KvPage#version() versions}.
 */
public final class PagedLayer implements LayerKv {
    private final int kvHeads;
    private final int headSize;
    private final KvStorage storage;
    private final Rope rope;
    private final int index;
    private final PageStore store;
    private final KvKernels kernels;
    private final float[] rotated;
    /** KV heads each page holds: all of them, or one per lane. */
    private final int pageHeads;
    private final Lane[] lanes;

    /** One list of pages: the layer's, or one KV head's. */
    private static final class Lane {
        final List<KvPage> pages = new ArrayList<>();
        int length;
    }

    PagedLayer(KvGeometry geometry, KvStorage storage, Rope rope, int index, PageStore store) {
        this.kvHeads = geometry.kvHeads();
        this.headSize = geometry.headSize();
        this.storage = storage;
        this.rope = rope;
        this.index = index;
        this.store = store;
        this.kernels = new KvKernels(rope);
        this.rotated = new float[geometry.kvDim()];
        this.pageHeads = storage.perHeadKeep() ? 1 : kvHeads;
        this.lanes = new Lane[kvHeads / pageHeads];
        for (int i = 0; i < lanes.length; i++) lanes[i] = new Lane();
    }

    /** Slots of the longest KV head: the whole layer unless heads keep their own tokens. */
    @Override
    public int length() {
        int longest = 0;
        for (Lane lane : lanes) longest = Math.max(longest, lane.length);
        return longest;
    }

    @Override
    public int length(int kvHead) {
        checkHead(kvHead);
        return lane(kvHead).length;
    }

    public int kvHeads() { return kvHeads; }

    /** Whether each KV head keeps its own tokens. */
    public boolean perHeadKeep() { return storage.perHeadKeep(); }

    @Override
    public int heldTokens() {
        long slots = 0;
        for (Lane lane : lanes) slots += (long) lane.length * pageHeads;
        return (int) ((slots + kvHeads - 1) / kvHeads);
    }

    /** This layer's index in the cache. */
    public int index() { return index; }

    /** Pages of the layer, lane after lane. */
    public int pageCount() {
        int n = 0;
        for (Lane lane : lanes) n += lane.pages.size();
        return n;
    }

    /** Page {@code index} counted as {@link #pageCount()} counts. */
    public KvPage page(int index) {
        int i = index;
        for (Lane lane : lanes) {
            if (i < lane.pages.size()) return lane.pages.get(i);
            i -= lane.pages.size();
        }
        throw new IndexOutOfBoundsException("page " + index + " of " + pageCount());
    }

    /** Original position of the token in {@code slot} (of every head: the layer keeps tokens per layer). */
    public int position(int slot) {
        Lane lane = sharedLane();
        int[] at = locate(lane, slot);
        return lane.pages.get(at[0]).position(at[1]);
    }

    /** Block id (original position / blockTokens) of the token in {@code slot}; see {@link #position}. */
    public int blockId(int slot) {
        Lane lane = sharedLane();
        int[] at = locate(lane, slot);
        return lane.pages.get(at[0]).blockId(at[1]);
    }

    /** Fills {@code dst[0, length)} with every slot's block id, in slot order; the layer keeps tokens per layer. */
    public void blockIds(int[] dst) { blockIds(sharedHead(), dst); }

    /** Fills {@code dst[0, length)} with every slot's original position, in slot order; see {@link #blockIds(int[])}. */
    public void positions(int[] dst) { positions(sharedHead(), dst); }

    /** Fills {@code dst[0, length(kvHead))} with the block id of each slot of one KV head. */
    public void blockIds(int kvHead, int[] dst) {
        checkHead(kvHead);
        int slot = 0;
        for (KvPage page : lane(kvHead).pages) {
            for (int t = 0; t < page.count(); t++) dst[slot++] = page.blockId(t);
        }
    }

    /** Fills {@code dst[0, length(kvHead))} with the original position of each slot of one KV head. */
    public void positions(int kvHead, int[] dst) {
        checkHead(kvHead);
        int slot = 0;
        for (KvPage page : lane(kvHead).pages) {
            for (int t = 0; t < page.count(); t++) dst[slot++] = page.position(t);
        }
    }

    /**
     * Fills {@code dst[slot * headSize ..]} with the stored key (or value) of one KV head for each of its slots.
     * Released pages are brought back through the page store first.
     */
    public void readRows(int kvHead, boolean keys, float[] dst) {
        checkHead(kvHead);
        float[] rows = new float[storage.pageTokens() * headSize];
        int slot = 0;
        int head = headInPage(kvHead);
        for (KvPage page : lane(kvHead).pages) {
            if (!page.resident()) store.restore(index, page);
            if (keys) page.readKeys(head, page.count(), rows);
            else page.readValues(head, page.count(), rows);
            System.arraycopy(rows, 0, dst, slot * headSize, page.count() * headSize);
            slot += page.count();
        }
    }

    public long residentBytes() {
        long bytes = 0;
        for (Lane lane : lanes) {
            for (KvPage page : lane.pages) bytes += page.residentBytes();
        }
        return bytes;
    }

    /** Stores one token in every lane; keys are rotated here when the position mode rotates on store. */
    void append(float[] k, int kOffset, float[] v, int vOffset, int position) {
        float[] key = k;
        int keyOffset = kOffset;
        if (storage.positionMode().rotatesOnStore()) {
            // Rotate a copy: the caller's buffer is its own.
            System.arraycopy(k, kOffset, rotated, 0, rotated.length);
            rope.rotate(rotated, 0, kvHeads, position);
            key = rotated;
            keyOffset = 0;
        }
        int laneValues = pageHeads * headSize;
        for (int i = 0; i < lanes.length; i++) {
            Lane lane = lanes[i];
            KvPage last = lane.pages.isEmpty() ? null : lane.pages.getLast();
            if (last == null || last.isFull()) {
                last = new KvPage(storage.dtype(), storage.pageTokens(), pageHeads, headSize);
                lane.pages.add(last);
            }
            last.append(key, keyOffset + i * laneValues, v, vOffset + i * laneValues, position,
                    position / storage.blockTokens());
            lane.length++;
        }
    }

    @Override
    public void keyScores(int kvHead, float[] q, int qOffset, int queries, float[] scores, int scoresOffset, int scoresStride,
                          int count) {
        checkRead(kvHead, count);
        KvKernels.Scratch scratch = KvKernels.scratch();
        PositionMode mode = storage.positionMode();
        boolean rotating = !mode.rotatesOnStore();
        float[] query = kernels.queries(scratch, q, qOffset, queries, rotating);
        List<KvPage> pages = lane(kvHead).pages;
        int head = headInPage(kvHead);
        int slot = 0;
        for (int p = 0; slot < count; p++) {
            KvPage page = pages.get(p);
            int n = Math.min(page.count(), count - slot);
            PageRows rows = page.keyRows();
            float[] keys = rows.readable(page.rowBase(head), n * headSize, scratch.rows(n * headSize));
            int base = rows.readableAt(page.rowBase(head));
            int[] positions = null;
            float[] table = null;
            if (rotating) {
                positions = mode.slotPositions() ? slotRange(scratch, slot, n) : page.positions();
                // Positions grow with the slot, so the page's last token has the largest.
                table = rope.table(positions[n - 1]);
            }
            for (int j = 0; j < queries; j++) {
                int out = scoresOffset + j * scoresStride + slot;
                int at = j * kernels.queryStride();
                if (rotating) kernels.rotatedDotRows(keys, base, n, query, at, table, positions, scores, out);
                else kernels.dotRows(keys, base, n, query, at, scores, out);
            }
            slot += n;
        }
    }

    private static int[] slotRange(KvKernels.Scratch scratch, int first, int n) {
        int[] slots = scratch.positions(n);
        for (int t = 0; t < n; t++) slots[t] = first + t;
        return slots;
    }

    @Override
    public void accumulateValues(int kvHead, float[] weights, int weightsOffset, int weightsStride, int queries, int count,
                                 float[] out, int outOffset) {
        checkRead(kvHead, count);
        List<KvPage> pages = lane(kvHead).pages;
        int head = headInPage(kvHead);
        int slot = 0;
        for (int p = 0; slot < count; p++) {
            KvPage page = pages.get(p);
            int n = Math.min(page.count(), count - slot);
            PageRows rows = page.valueRows();
            float[] values = rows.readable(page.rowBase(head), n * headSize, KvKernels.scratch().rows(n * headSize));
            int base = rows.readableAt(page.rowBase(head));
            for (int j = 0; j < queries; j++) {
                kernels.accumulateRows(values, base, n, weights, weightsOffset + j * weightsStride + slot,
                        out, outOffset + j * headSize);
            }
            slot += n;
        }
    }

    /** {@link #retain(int, int[], int[], int)} of the layer's one lane: the layer keeps tokens per layer. */
    public void retain(int[] starts, int[] ends, int n) {
        retain(sharedHead(), starts, ends, n);
    }

    /**
     * Keeps only slots in {@code [starts[i], ends[i])} for i < n of the lane holding {@code kvHead}: of that head
     * alone when heads keep their own tokens, else of the layer. The ranges must be sorted, disjoint and inside
     * the lane (eviction validates plans before calling this). Pages with no kept slot are dropped, fully kept
     * pages are left alone, partly kept ones are compacted in place, and then neighbouring pages that fit into
     * one are merged so fragmentation stays bounded (adjacent pages hold more than a page).
     */
    public void retain(int kvHead, int[] starts, int[] ends, int n) {
        checkHead(kvHead);
        Lane lane = lane(kvHead);
        List<KvPage> kept = new ArrayList<>(lane.pages.size());
        int range = 0;
        int base = 0;
        int newLength = 0;
        for (KvPage page : lane.pages) {
            int count = page.count();
            int pageEnd = base + count;
            int write = 0;
            while (range < n && starts[range] < pageEnd) {
                int from = Math.max(starts[range], base);
                int to = Math.min(ends[range], pageEnd);
                // A released page kept whole stays compressed; any other change needs its payload back.
                boolean wholePage = from == base && to == pageEnd && write == 0;
                if (to > from && !page.resident() && !wholePage) store.restore(index, page);
                if (to > from) {
                    page.moveTokens(from - base, write, to - from);
                    write += to - from;
                }
                if (ends[range] <= pageEnd) range++;
                else break;
            }
            if (write > 0) {
                page.truncate(write);
                kept.add(page);
                newLength += write;
            }
            base = pageEnd;
        }
        mergeUnderfull(kept);
        repackIfFragmented(kept);
        lane.pages.clear();
        lane.pages.addAll(kept);
        lane.length = newLength;
    }

    private void mergeUnderfull(List<KvPage> kept) {
        int w = 0;
        for (int r = 0; r < kept.size(); r++) {
            KvPage page = kept.get(r);
            if (w > 0) {
                KvPage previous = kept.get(w - 1);
                // Released (compressed) pages stay as they are: merging would need their payload back.
                if (previous.resident() && page.resident() && previous.count() + page.count() <= previous.capacity()) {
                    previous.appendFrom(page, 0, page.count());
                    continue;
                }
            }
            kept.set(w++, page);
        }
        kept.subList(w, kept.size()).clear();
    }

    /**
     * Packs each run of resident pages into full pages once the layer holds more pages than its tokens need by
     * more than an eighth. Merging neighbours alone leaves pages about half full after scattered evictions, so
     * under a fixed capacity the layer's bytes would creep towards twice what it holds; repacking only past that
     * slack keeps the bytes within an eighth of tight while the copying stays rare. Released (compressed) pages
     * stay as they are and split the runs.
     */
    private void repackIfFragmented(List<KvPage> kept) {
        int tight = 0;
        int run = 0;
        for (KvPage page : kept) {
            if (page.resident()) {
                run += page.count();
                continue;
            }
            tight += pagesFor(run) + 1;
            run = 0;
        }
        tight += pagesFor(run);
        if (kept.size() <= tight + Math.max(1, tight / 8)) return;
        List<KvPage> packed = new ArrayList<>(tight);
        KvPage into = null;
        for (KvPage page : kept) {
            if (!page.resident()) {
                packed.add(page);
                into = null;
                continue;
            }
            int moved = into == null ? 0 : Math.min(into.capacity() - into.count(), page.count());
            if (moved > 0) into.appendFrom(page, 0, moved);
            if (moved == page.count()) continue;
            page.moveTokens(moved, 0, page.count() - moved);
            page.truncate(page.count() - moved);
            packed.add(page);
            into = page;
        }
        kept.clear();
        kept.addAll(packed);
    }

    private int pagesFor(int tokens) {
        return (tokens + storage.pageTokens() - 1) / storage.pageTokens();
    }

    void clear() {
        for (Lane lane : lanes) {
            lane.pages.clear();
            lane.length = 0;
        }
    }

    private Lane lane(int kvHead) { return lanes[kvHead / pageHeads]; }

    /** Index of a KV head within the pages of its lane. */
    private int headInPage(int kvHead) { return kvHead % pageHeads; }

    /** Head 0, whose lane is the layer's only one; calls that do not name a head fail on per-head layers. */
    private int sharedHead() {
        if (lanes.length > 1) {
            throw new IllegalStateException("layer " + index + " keeps tokens per KV head; name the head");
        }
        return 0;
    }

    private Lane sharedLane() { return lanes[sharedHead()]; }

    private static int[] locate(Lane lane, int slot) {
        if (slot < 0 || slot >= lane.length) {
            throw new IndexOutOfBoundsException("slot " + slot + " of a layer holding " + lane.length);
        }
        int base = 0;
        for (int p = 0; ; p++) {
            int count = lane.pages.get(p).count();
            if (slot < base + count) return new int[] {p, slot - base};
            base += count;
        }
    }

    private void checkHead(int kvHead) {
        if (kvHead < 0 || kvHead >= kvHeads) {
            throw new IndexOutOfBoundsException("kv head " + kvHead + " of " + kvHeads);
        }
    }

    private void checkRead(int kvHead, int count) {
        checkHead(kvHead);
        int length = lane(kvHead).length;
        if (count < 0 || count > length) {
            throw new IndexOutOfBoundsException("count " + count + " exceeds the " + length + " cached slots");
        }
    }
}
