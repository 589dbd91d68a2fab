package io.heavykv.kvcache;

import io.heavykv.model.Rope;

import java.util.ArrayList;
import java.util.List;

/**
 * One layer's cache as a list of pages. Appends fill the last page; eviction {@linkplain #retain keeps}
 * slot ranges, dropping whole pages and compacting the partly kept ones, so pages a plan does not touch
 * keep their contents and {@linkplain KvPage#version() versions}.
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
    private final List<KvPage> pages = new ArrayList<>();
    private int length;

    PagedLayer(KvGeometry geometry, KvStorage storage, Rope rope, int index, PageStore store) {
        this.kvHeads = geometry.kvHeads();
        this.headSize = geometry.headSize();
        this.storage = storage;
        this.rope = rope;
        this.index = index;
        this.store = store;
        this.kernels = new KvKernels(rope);
        this.rotated = new float[geometry.kvDim()];
    }

    @Override
    public int length() { return length; }

    /** This layer's index in the cache. */
    public int index() { return index; }

    public int pageCount() { return pages.size(); }

    public KvPage page(int index) { return pages.get(index); }

    /** Original position of the token in {@code slot}. */
    public int position(int slot) {
        int[] at = locate(slot);
        return pages.get(at[0]).position(at[1]);
    }

    /** Block id (original position / blockTokens) of the token in {@code slot}. */
    public int blockId(int slot) {
        int[] at = locate(slot);
        return pages.get(at[0]).blockId(at[1]);
    }

    /** Fills {@code dst[0, length)} with every slot's block id, in slot order. */
    public void blockIds(int[] dst) {
        int slot = 0;
        for (KvPage page : pages) {
            for (int t = 0; t < page.count(); t++) dst[slot++] = page.blockId(t);
        }
    }

    /** Fills {@code dst[0, length)} with every slot's original position, in slot order. */
    public void positions(int[] dst) {
        int slot = 0;
        for (KvPage page : pages) {
            for (int t = 0; t < page.count(); t++) dst[slot++] = page.position(t);
        }
    }

    public long residentBytes() {
        long bytes = 0;
        for (KvPage page : pages) bytes += page.residentBytes();
        return bytes;
    }

    /** Stores one token; keys are rotated here when the position mode rotates on store. */
    void append(float[] k, int kOffset, float[] v, int vOffset, int position) {
        KvPage last = pages.isEmpty() ? null : pages.getLast();
        if (last == null || last.isFull()) {
            last = new KvPage(storage.dtype(), storage.pageTokens(), kvHeads, headSize);
            pages.add(last);
        }
        float[] key = k;
        int keyOffset = kOffset;
        if (storage.positionMode().rotatesOnStore()) {
            // Rotate a copy: the caller's buffer is its own.
            System.arraycopy(k, kOffset, rotated, 0, rotated.length);
            rope.rotate(rotated, 0, kvHeads, position);
            key = rotated;
            keyOffset = 0;
        }
        last.append(key, keyOffset, v, vOffset, position, position / storage.blockTokens());
        length++;
    }

    @Override
    public void keyScores(int kvHead, float[] q, int qOffset, int queries, float[] scores, int scoresOffset, int scoresStride,
                          int count) {
        checkRead(kvHead, count);
        KvKernels.Scratch scratch = KvKernels.scratch();
        PositionMode mode = storage.positionMode();
        boolean rotating = !mode.rotatesOnStore();
        float[] query = kernels.queries(scratch, q, qOffset, queries, rotating);
        int slot = 0;
        for (int p = 0; slot < count; p++) {
            KvPage page = pages.get(p);
            int n = Math.min(page.count(), count - slot);
            float[] keys;
            int base;
            if (page.dtype() == KvDType.FP32) {
                keys = page.fp32Keys();
                base = page.rowBase(kvHead);
            } else {
                keys = scratch.rows(n * headSize);
                base = 0;
                page.readKeys(kvHead, n, keys);
            }
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
        int slot = 0;
        for (int p = 0; slot < count; p++) {
            KvPage page = pages.get(p);
            int n = Math.min(page.count(), count - slot);
            float[] values;
            int base;
            if (page.dtype() == KvDType.FP32) {
                values = page.fp32Values();
                base = page.rowBase(kvHead);
            } else {
                values = KvKernels.scratch().rows(n * headSize);
                base = 0;
                page.readValues(kvHead, n, values);
            }
            for (int j = 0; j < queries; j++) {
                kernels.accumulateRows(values, base, n, weights, weightsOffset + j * weightsStride + slot,
                        out, outOffset + j * headSize);
            }
            slot += n;
        }
    }

    /**
     * Keeps only slots in {@code [starts[i], ends[i])} for i < n. The ranges must be sorted, disjoint and
     * inside the layer (eviction validates plans before calling this). Pages with no kept slot are dropped,
     * fully kept pages are left alone, partly kept ones are compacted in place, and then neighbouring pages
     * that fit into one are merged so fragmentation stays bounded (adjacent pages hold more than a page).
     */
    public void retain(int[] starts, int[] ends, int n) {
        List<KvPage> kept = new ArrayList<>(pages.size());
        int range = 0;
        int base = 0;
        int newLength = 0;
        for (KvPage page : pages) {
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
        pages.clear();
        pages.addAll(kept);
        length = newLength;
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
        pages.clear();
        length = 0;
    }

    private int[] locate(int slot) {
        if (slot < 0 || slot >= length) {
            throw new IndexOutOfBoundsException("slot " + slot + " of a layer holding " + length);
        }
        int base = 0;
        for (int p = 0; ; p++) {
            int count = pages.get(p).count();
            if (slot < base + count) return new int[] {p, slot - base};
            base += count;
        }
    }

    private void checkRead(int kvHead, int count) {
        if (kvHead < 0 || kvHead >= kvHeads) {
            throw new IndexOutOfBoundsException("kv head " + kvHead + " of " + kvHeads);
        }
        if (count < 0 || count > length) {
            throw new IndexOutOfBoundsException("count " + count + " exceeds the " + length + " cached slots");
        }
    }
}
