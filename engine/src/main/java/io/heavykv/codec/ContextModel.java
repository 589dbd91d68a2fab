package io.heavykv.codec;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * What {@link CodecId#CONTEXT_MODEL} learned from earlier blocks of one FP16 stream (the K or the V of one
 * layer), frozen: the distinct rows seen so far, which later blocks reference instead of coding again (in
 * the first layer a row is a function of the token, and tokens repeat), and the field frequencies the
 * entropy coder uses for the rows that are new. Made by {@link ContextModelTrainer}; immutable, so a frame
 * names it by id as it names a zstd dictionary.
 *
 * <p>Fields of a value: sign and exponent together (the top six bits), in the context of its channel's group
 * (channels differ in magnitude; channels with the same most common exponent and sign leaning share a
 * table, which keeps a snapshot a few KB instead of one table per channel, and the streams that pool their
 * counts in one {@link GroupCounts} share the tables too). The mantissa is close to noise and is taken as it is (see {@link Rans}).
 * One symbol for sign and exponent rather than two codes them as tightly for one coding step. The same
 * channel's sign one token earlier would be a context too (unrotated keys keep their sign along a
 * channel), but on real KV it saves under 0.04 bits of a value's twelve while doubling the tables and
 * making each value wait for the row before it.
 */
public final class ContextModel implements BlockDictionary {
    /** Sign-and-exponent symbols: the top six bits of an FP16 value. */
    static final int SIGN_EXPONENTS = 64;

    private final int id;
    private final int channels;
    private final RowStore store;
    private final int rowCount;
    final FrequencyTable signExponent;
    /** Per channel, the base in {@link #signExponent} of its group's context. */
    private final char[] bases;

    /**
     * @param store the stream's rows, of which the first {@code rowCount} belong to this model
     * @param bases per channel, the base of its context in {@code signExponent}
     */
    ContextModel(int id, int channels, RowStore store, int rowCount, FrequencyTable signExponent, char[] bases) {
        this.id = id;
        this.channels = channels;
        this.store = store;
        this.rowCount = rowCount;
        this.signExponent = signExponent;
        this.bases = bases;
    }

    @Override public int id() { return id; }

    /** Channels of the blocks this model is for; blocks of other shapes are coded as if there were no model. */
    public int channels() { return channels; }

    /** Distinct rows it holds. */
    public int rows() { return rowCount; }

    /**
     * Heap bytes of this snapshot's tables; the rows are the stream's, shared by all its snapshots
     * and counted once by {@link ContextModelTrainer#bytes}.
     */
    public long tableBytes() { return tableBytes(Collections.newSetFromMap(new IdentityHashMap<>())); }

    /**
     * Heap bytes of the tables of this snapshot that {@code counted} does not hold yet, which it then holds:
     * snapshots share their frequency table (streams pool their counts: see {@link GroupCounts}) and a stream's
     * snapshots their bases, and each counts once.
     */
    long tableBytes(Set<Object> counted) {
        long bytes = 0;
        if (counted.add(signExponent)) bytes += signExponent.bytes();
        if (counted.add(bases)) bytes += 2L * bases.length;
        return bytes;
    }

    /** Base in {@link #signExponent} of the context of channel {@code channel}'s sign-and-exponent symbols. */
    int signExponentBase(int channel) { return bases[channel]; }

    /** The row hash {@link #findRow} takes. */
    int hashRow(byte[] a, int off) { return store.hash(a, off); }

    /** The number of the row equal to {@code a[off, off+rowBytes)}, whose {@link #hashRow} is {@code hash}, or -1. */
    int findRow(byte[] a, int off, int hash) { return store.find(a, off, hash, rowCount); }

    void copyRow(int row, byte[] dst, int dstOff) { store.copyRow(row, dst, dstOff); }

    /** Nothing native to free; a model is plain heap data. */
    @Override
    public void close() {}
}
