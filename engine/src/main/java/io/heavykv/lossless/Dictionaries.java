package io.heavykv.lossless;

import io.heavykv.codec.BlockDictionary;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dictionaries and context models a runtime trained, by the id frames name. Ids are never reused within a runtime and
 * dictionaries live until the runtime closes: a frame or a worker may still use one after a reset.
 */
final class Dictionaries {
    private final Map<Integer, BlockDictionary> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    int nextId() { return nextId.getAndIncrement(); }

    void register(BlockDictionary dictionary) { byId.put(dictionary.id(), dictionary); }

    BlockDictionary get(int id) { return byId.get(id); }

    void closeAll() {
        byId.values().forEach(BlockDictionary::close);
        byId.clear();
    }
}
