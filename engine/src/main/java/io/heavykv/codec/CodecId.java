package io.heavykv.codec;

import java.util.Arrays;
import java.util.List;

/**
 * The codecs a frame can name. The numeric ids are written to disk and never reused or renumbered;
 * a new codec gets a new id.
 *
 * <p>Plane codecs: {@code PLANES*} split the values' bytes into planes (high byte first) and entropy-code
 * each plane on its own, so the compressible sign/exponent plane is not diluted by the near-random
 * low mantissa plane. {@code _CM} puts a channel's values across tokens next to each other (KV channels
 * have strong per-channel magnitude). {@code DELTA} codes the zigzag difference of order-preserving bit
 * patterns to the same channel of the previous token, {@code XOR} the XOR with it.
 *
 * <p>{@code DEDUP_PLANES} first replaces rows that repeat an earlier row of the block exactly by a
 * back-reference, then codes the kept rows as token-major planes.
 *
 * <p>{@code CONTEXT_MODEL} needs a {@link ContextModel} trained on earlier blocks of the stream: rows seen
 * before become references, the sign, exponent and top mantissa bits of the others are rANS-coded with
 * per-channel frequencies (FP16 only).
 */
public enum CodecId {
    STORED(0),
    ZSTD(1),
    PLANES(2),
    PLANES_CM(3),
    DELTA_PLANES(4),
    DELTA_PLANES_CM(5),
    XOR_PLANES(6),
    XOR_PLANES_CM(7),
    DEDUP_PLANES(8),
    CONTEXT_MODEL(9);

    private static final CodecId[] BY_ID = new CodecId[10];
    private static final List<CodecId> ALL = List.of(values());

    static {
        for (CodecId c : values()) BY_ID[c.id] = c;
    }

    private final int id;

    CodecId(int id) { this.id = id; }

    /** The on-disk id. */
    public int id() { return id; }

    /** The codec with this on-disk id, or null when there is none (callers turn that into their own error). */
    public static CodecId ofId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    public static List<CodecId> all() { return ALL; }

    @Override
    public String toString() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** Parses a name as printed by {@link #toString()} (case-insensitive). */
    public static CodecId parse(String name) {
        for (CodecId c : values()) if (c.name().equalsIgnoreCase(name)) return c;
        throw new IllegalArgumentException("unknown codec '" + name + "', expected one of " + Arrays.toString(values()));
    }
}
