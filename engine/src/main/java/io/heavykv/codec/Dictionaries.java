package io.heavykv.codec;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * The dictionaries and context models a runtime (or the offline evaluator) trained, by the id frames name. Ids are never reused within a
 * runtime. Zstd dictionaries (one per stream, trained once) live until the runtime closes; a context model is
 * superseded by the next snapshot of its stream and is {@linkplain #retireModels retired} once no frame names it,
 * so a long run holds a stream's current model and the few older ones its frames still use, not every snapshot.
 */
public final class Dictionaries {
    private final Map<Integer, BlockDictionary> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, Integer> pins = new ConcurrentHashMap<>();

    public int nextId() { return nextId.getAndIncrement(); }

    public void register(BlockDictionary dictionary) { byId.put(dictionary.id(), dictionary); }

    public BlockDictionary get(int id) { return byId.get(id); }

    /** Dictionaries and models registered and not retired. */
    public int size() { return byId.size(); }

    /** Ids handed out so far, retired ones included. */
    public int issued() { return nextId.get() - 1; }

    /**
     * Keeps model {@code id} (0: none) until {@link #unpin}; pins count. Two holders pin: a stream, its current
     * model for as long as it is current (pinned before it is registered); and a frame just made, on its way
     * to the runtime, pinned before the stream can supersede the model it names. So a model is always pinned
     * or named only by frames the runtime holds, which the runtime reads on the thread that retires.
     */
    public void pin(int id) {
        if (id != 0) pins.merge(id, 1, Integer::sum);
    }

    public void unpin(int id) {
        if (id != 0) pins.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
    }

    /**
     * Drops every context model that is neither pinned nor accepted by {@code inUse}, which must hold the ids
     * the frames the runtime holds name.
     */
    public void retireModels(IntPredicate inUse) {
        byId.values().removeIf(d -> d instanceof ContextModel m && !inUse.test(m.id()) && !pins.containsKey(m.id()));
    }

    /** Bytes of the zstd dictionaries' content and of the context models' tables, a table models share counted once. */
    public long bytes() {
        long bytes = 0;
        Set<Object> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (BlockDictionary d : byId.values()) {
            if (d instanceof ContextModel m) bytes += m.tableBytes(counted);
            else if (d instanceof ZstdDictionary z) bytes += z.size();
        }
        return bytes;
    }

    public void closeAll() {
        byId.values().forEach(BlockDictionary::close);
        byId.clear();
    }
}
