package io.heavykv.lossless;

import io.heavykv.kvcache.KvPage;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decompressed pages kept for reuse, by content fingerprint: one level per layer and one shared by all layers
 * (equal content in different layers, e.g. after a reset replays a prompt). Capacities count pages
 * ("blocks"); 0 disables a level. Used by the decode thread only. Entries are never changed: pages read
 * them in place ({@link KvPage#share}) and copy them before they write.
 *
 * <p>Scan-resistant: every decode step reads each layer's pages once, in the same order, so the access
 * pattern is a cyclic scan. Plain LRU gets no hit at all when the scan is longer than the capacity (each
 * entry is evicted just before its turn comes). Here a full level admits a new page only in place of an
 * entry nobody read during the current or the previous step; live entries stay, so a scan of {@code W}
 * pages through a level of {@code C} hits {@code C} of them every step. Entries of pages that evicted or
 * changed stop being read and become replaceable one step later.
 */
final class DecodeCache {
    private final Level[] perLayer;
    private final Level global;
    private long step;
    private long hits;
    private long misses;

    DecodeCache(int layers, int perLayerBlocks, int globalBlocks) {
        this.perLayer = new Level[layers];
        for (int l = 0; l < layers; l++) perLayer[l] = new Level(perLayerBlocks);
        this.global = new Level(globalBlocks);
    }

    /** A new decode step begins: entries read in the step before it still count as live. */
    void tick() { step++; }

    /** The cached payload, counting a hit or a miss. */
    KvPage.Payload get(int layer, FrameKey key) {
        KvPage.Payload found = perLayer[layer].get(key, step);
        if (found == null) {
            found = global.get(key, step);
            if (found != null) perLayer[layer].put(key, found, step);
        }
        if (found == null) misses++;
        else hits++;
        return found;
    }

    void put(int layer, FrameKey key, KvPage.Payload payload) {
        perLayer[layer].put(key, payload, step);
        global.put(key, payload, step);
    }

    long hits() { return hits; }

    long misses() { return misses; }

    /** Payload bytes held; a payload cached at both levels is one array and counts once. */
    long bytes() {
        Set<KvPage.Payload> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        global.collect(distinct);
        for (Level level : perLayer) level.collect(distinct);
        long bytes = 0;
        for (KvPage.Payload payload : distinct) bytes += payload.bytes();
        return bytes;
    }

    void clear() {
        for (Level level : perLayer) level.clear();
        global.clear();
        hits = misses = 0;
    }

    private static final class Slot {
        final KvPage.Payload payload;
        long lastRead;

        Slot(KvPage.Payload payload, long lastRead) {
            this.payload = payload;
            this.lastRead = lastRead;
        }
    }

    /** One level: access-ordered, so the eldest entry is the one read longest ago. */
    private static final class Level extends LinkedHashMap<FrameKey, Slot> {
        private final int capacity;

        Level(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        KvPage.Payload get(FrameKey key, long step) {
            Slot slot = super.get(key);
            if (slot == null) return null;
            slot.lastRead = step;
            return slot.payload;
        }

        void put(FrameKey key, KvPage.Payload payload, long step) {
            if (capacity == 0) return;
            Slot present = super.get(key);
            if (present != null) {
                present.lastRead = step;
                return;
            }
            if (size() >= capacity) {
                Map.Entry<FrameKey, Slot> eldest = firstEntry();
                if (eldest.getValue().lastRead >= step - 1) return;
                remove(eldest.getKey());
            }
            super.put(key, new Slot(payload, step));
        }

        void collect(Set<KvPage.Payload> payloads) {
            for (Slot slot : values()) payloads.add(slot.payload);
        }
    }
}
