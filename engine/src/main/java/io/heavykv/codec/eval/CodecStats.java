package io.heavykv.codec.eval;

import java.util.Map;

/**
 * Compression figures over a set of blocks. Compressed bytes include the frame headers. Winner keys are
 * codec names, with "+dict" when the block was coded with a trained dictionary. Times are wall-clock
 * means per block of the chosen codec (probing included in online mode); indicative only, the JMH
 * benchmark is the measurement.
 */
public record CodecStats(long blocks, long rawBytes, long compressedBytes, double ratio, Map<String, Long> wins,
                         double encodeMicrosPerBlock, double decodeMicrosPerBlock) {
    public CodecStats {
        wins = Map.copyOf(wins);
    }
}
