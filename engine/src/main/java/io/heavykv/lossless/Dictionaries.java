package io.heavykv.lossless;

import io.heavykv.codec.BlockDictionary;
import io.heavykv.codec.ContextModel;
import io.heavykv.codec.ContextModelTrainer;
import io.heavykv.codec.ZstdDictionary;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dictionaries and context models a runtime trained, by the id frames name. Ids are never reused within a runtime and
 * dictionaries live until the runtime closes: a frame or a worker may still use one after a reset. It also holds the
 * context-model trainers, whose row stores the models share and keep alive, so that {@link #bytes} counts what all of
 * it keeps in memory.
 */
final class Dictionaries {
    private final Map<Integer, BlockDictionary> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Queue<ContextModelTrainer> trainers = new ConcurrentLinkedQueue<>();

    int nextId() { return nextId.getAndIncrement(); }

    void register(BlockDictionary dictionary) { byId.put(dictionary.id(), dictionary); }

    BlockDictionary get(int id) { return byId.get(id); }

    /** A stream's context-model trainer, whose memory {@link #bytes} counts from now on. */
    void registerTrainer(ContextModelTrainer trainer) { trainers.add(trainer); }

    /** Bytes of the zstd dictionaries' content, the context models' tables and the trainers (row stores and counts). */
    long bytes() {
        long bytes = 0;
        for (BlockDictionary d : byId.values()) {
            if (d instanceof ContextModel m) bytes += m.tableBytes();
            else if (d instanceof ZstdDictionary z) bytes += z.size();
        }
        for (ContextModelTrainer t : trainers) bytes += t.bytes();
        return bytes;
    }

    void closeAll() {
        byId.values().forEach(BlockDictionary::close);
        byId.clear();
        trainers.clear();
    }
}
