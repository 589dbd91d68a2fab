package io.heavykv.lossless;

import io.heavykv.kvcache.KvPage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the runtime knows about each page of each layer: its frames, whether an encode is in flight, eligibility. */
final class FrameTable {
    /** What the runtime knows about one page. */
    static final class Entry {
        PageFrames frames;
        boolean inFlight;
        boolean eligible;
        long seenStep;

        boolean valid(KvPage page) { return frames != null && frames.version() == page.version(); }
    }

    /** Sizes of the pages holding valid frames: all of them, and those released (their frames are all they hold). */
    record Totals(long framed, long released, long rawBytes, long storedBytes, long releasedRawBytes, long releasedStoredBytes) { }

    private final List<Map<KvPage, Entry>> entries = new ArrayList<>();

    FrameTable(int layers) {
        for (int l = 0; l < layers; l++) entries.add(new IdentityHashMap<>());
    }

    /** The entry of a page, or null. */
    Entry get(int layer, KvPage page) { return entries.get(layer).get(page); }

    /** The entry of a page, made when there is none. */
    Entry track(int layer, KvPage page) { return entries.get(layer).computeIfAbsent(page, p -> new Entry()); }

    /** Forgets the pages of a layer not seen at {@code step}: they left it. */
    void forgetUnseen(int layer, long step) { entries.get(layer).values().removeIf(e -> e.seenStep != step); }

    /** The frames a page holds now, if current. */
    PageFrames framesOf(int layer, KvPage page) {
        Entry entry = get(layer, page);
        return entry != null && entry.valid(page) ? entry.frames : null;
    }

    /** The ids of the dictionaries and models the held frames name. */
    Set<Integer> modelsInUse() {
        Set<Integer> inUse = new HashSet<>();
        for (Map<KvPage, Entry> layer : entries) {
            for (Entry entry : layer.values()) {
                if (entry.frames == null) continue;
                inUse.add(entry.frames.kDictionary());
                inUse.add(entry.frames.vDictionary());
            }
        }
        return inUse;
    }

    Totals totals() {
        long framed = 0, released = 0, raw = 0, stored = 0, releasedRaw = 0, releasedStored = 0;
        for (Map<KvPage, Entry> layer : entries) {
            for (Map.Entry<KvPage, Entry> e : layer.entrySet()) {
                if (!e.getValue().valid(e.getKey())) continue;
                PageFrames frames = e.getValue().frames;
                framed++;
                raw += frames.rawBytes();
                stored += frames.storedBytes();
                if (!e.getKey().resident()) {
                    released++;
                    releasedRaw += frames.rawBytes();
                    releasedStored += frames.storedBytes();
                }
            }
        }
        return new Totals(framed, released, raw, stored, releasedRaw, releasedStored);
    }

    void clear() { entries.forEach(Map::clear); }
}
