package io.heavykv.codec.eval;

import java.util.Map;
import java.util.TreeMap;

/** Sums block results into {@link CodecStats}; one per layer plus one overall. */
final class StatsAccumulator {
    private long blocks;
    private long raw;
    private long compressed;
    private long encodeNanos;
    private long decodeNanos;
    private final Map<String, Long> wins = new TreeMap<>();

    void add(long rawBytes, long frameBytes, String winner, long encodeNanos, long decodeNanos) {
        blocks++;
        raw += rawBytes;
        compressed += frameBytes;
        this.encodeNanos += encodeNanos;
        this.decodeNanos += decodeNanos;
        wins.merge(winner, 1L, Long::sum);
    }

    void addAll(StatsAccumulator other) {
        blocks += other.blocks;
        raw += other.raw;
        compressed += other.compressed;
        encodeNanos += other.encodeNanos;
        decodeNanos += other.decodeNanos;
        other.wins.forEach((k, v) -> wins.merge(k, v, Long::sum));
    }

    CodecStats stats() {
        return new CodecStats(blocks, raw, compressed, compressed == 0 ? 0 : (double) raw / compressed, wins,
                blocks == 0 ? 0 : encodeNanos / 1e3 / blocks, blocks == 0 ? 0 : decodeNanos / 1e3 / blocks);
    }
}
