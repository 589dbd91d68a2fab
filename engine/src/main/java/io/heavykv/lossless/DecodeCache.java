package io.heavykv.lossless;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decompressed pages kept for reuse, by content fingerprint: one LRU per layer and one shared by all layers
 * (equal content in different layers, e.g. after a reset replays a prompt). Capacities count pages
 * ("blocks"); 0 disables a level. Used by the decode thread only. Entries are never handed out to be
 * changed: pages copy them on restore.
 */
final class DecodeCache {
    private final Lru[] perLayer;
    private final Lru global;
    private long hits;
    private long misses;

    DecodeCache(int layers, int perLayerBlocks, int globalBlocks) {
        this.perLayer = new Lru[layers];
        for (int l = 0; l < layers; l++) perLayer[l] = new Lru(perLayerBlocks);
        this.global = new Lru(globalBlocks);
    }

    /** The cached payload, counting a hit or a miss. */
    byte[] get(int layer, FrameKey key) {
        byte[] found = perLayer[layer].get(key);
        if (found == null) {
            found = global.get(key);
            if (found != null) perLayer[layer].put(key, found);
        }
        if (found == null) misses++;
        else hits++;
        return found;
    }

    void put(int layer, FrameKey key, byte[] payload) {
        perLayer[layer].put(key, payload);
        global.put(key, payload);
    }

    long hits() { return hits; }

    long misses() { return misses; }

    void clear() {
        for (Lru lru : perLayer) lru.clear();
        global.clear();
        hits = misses = 0;
    }

    private static final class Lru extends LinkedHashMap<FrameKey, byte[]> {
        private final int capacity;

        Lru(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        public byte[] put(FrameKey key, byte[] value) {
            return capacity == 0 ? null : super.put(key, value);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<FrameKey, byte[]> eldest) {
            return size() > capacity;
        }
    }
}
