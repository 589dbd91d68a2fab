package io.heavykv.codec;

/**
 * Something trained on earlier blocks of a stream that a codec needs to decode a frame: a zstd dictionary
 * or a {@link ContextModel}. Immutable once made; frames name it by the caller's id, which is never 0.
 */
public sealed interface BlockDictionary extends AutoCloseable permits ZstdDictionary, ContextModel {
    int id();

    @Override
    void close();
}
