package io.heavykv.lossless;

import io.heavykv.codec.BlockDictionary;
import io.heavykv.codec.ContextModel;
import io.heavykv.codec.ZstdDictionary;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * The dictionaries and context models a runtime trained, by the id frames name. Ids are never reused within a
 * runtime. Zstd dictionaries (one per stream, trained once) live until the runtime closes; a context model is
 * superseded by the next snapshot of its stream and is {@linkplain #retireModels retired} once no frame names it,
 * so a long run holds a stream's current model and the few older ones its frames still use, not every snapshot.
 */
final class Dictionaries {
    private final Map<Integer, BlockDictionary> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, Integer> pins = new ConcurrentHashMap<>();

    int nextId() { return nextId.getAndIncrement(); }

    void register(BlockDictionary dictionary) { byId.put(dictionary.id(), dictionary); }

    BlockDictionary get(int id) { return byId.get(id); }

    /** Dictionaries and models registered and not retired. */
    int size() { return byId.size(); }

    /** Ids handed out so far, retired ones included. */
    int issued() { return nextId.get() - 1; }

    /**
     * A frame naming {@code id} (0: none) was just made and is on its way to the runtime: the model must stay
     * until {@link #unpin}. Encoders pin before the stream can supersede the model, so a model that is not
     * current any more is either pinned or named only by frames the runtime holds.
     */
    void pin(int id) {
        if (id != 0) pins.merge(id, 1, Integer::sum);
    }

    void unpin(int id) {
        if (id != 0) pins.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
    }

    /**
     * Drops every context model that is neither pinned nor accepted by {@code inUse}, which must hold the ids
     * the runtime's frames name and, read before this call, every stream's current model.
     */
    void retireModels(IntPredicate inUse) {
        byId.values().removeIf(d -> d instanceof ContextModel m && !inUse.test(m.id()) && !pins.containsKey(m.id()));
    }

    /** Bytes of the zstd dictionaries' content and of the context models' tables. */
    long bytes() {
        long bytes = 0;
        for (BlockDictionary d : byId.values()) {
            if (d instanceof ContextModel m) bytes += m.tableBytes();
            else if (d instanceof ZstdDictionary z) bytes += z.size();
        }
        return bytes;
    }

    void closeAll() {
        byId.values().forEach(BlockDictionary::close);
        byId.clear();
    }
}
