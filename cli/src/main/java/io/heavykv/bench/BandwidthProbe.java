package io.heavykv.bench;

import io.heavykv.tensor.Parallel;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the memory read bandwidth decode can hope for: a streaming read of a buffer far larger than the
 * last-level cache, split over the same worker pool the matrix kernels use. Decode of a large model reads
 * every weight once per token, so this bandwidth divided by the weight bytes is decode's speed limit.
 */
public final class BandwidthProbe {
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    /** Bytes one parallel chunk streams: large enough to hide the hand-off, small enough to balance. */
    private static final long CHUNK = 4L << 20;

    private BandwidthProbe() {
    }

    /** Best read bandwidth in bytes/s over {@code passes} passes of a fresh {@code bytes}-byte buffer. */
    public static double measure(long bytes, int passes) {
        if (bytes < CHUNK) throw new IllegalArgumentException("bandwidth buffer must be at least " + CHUNK + " bytes, got " + bytes);
        if (passes < 1) throw new IllegalArgumentException("passes must be at least 1, got " + passes);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(bytes - bytes % CHUNK, 64);
            // Writing every page makes the OS back it with real memory before timing.
            buffer.fill((byte) 1);
            return measure(buffer, passes);
        }
    }

    /** Best read bandwidth in bytes/s over {@code passes} passes of {@code segment} (e.g. a mapped model file). */
    public static double measure(MemorySegment segment, int passes) {
        long usable = segment.byteSize() - segment.byteSize() % CHUNK;
        int chunks = Math.toIntExact(usable / CHUNK);
        if (chunks == 0) throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small to measure");
        AtomicLong sink = new AtomicLong();
        double best = 0;
        for (int pass = 0; pass < passes; pass++) {
            long start = System.nanoTime();
            Parallel.forRange(0, chunks, 1, (from, to) -> {
                long sum = 0;
                for (int c = from; c < to; c++) sum += sum(segment, c * CHUNK, CHUNK);
                sink.addAndGet(sum);
            });
            long nanos = System.nanoTime() - start;
            best = Math.max(best, usable / (nanos / 1e9));
        }
        // The sum is used so the reads cannot be optimised away.
        if (sink.get() == 42) System.err.print("");
        return best;
    }

    private static long sum(MemorySegment segment, long offset, long length) {
        int step = L.vectorByteSize() * 4;
        LongVector a = LongVector.zero(L), b = LongVector.zero(L), c = LongVector.zero(L), d = LongVector.zero(L);
        for (long o = offset, end = offset + length; o < end; o += step) {
            a = a.add(LongVector.fromMemorySegment(L, segment, o, ByteOrder.LITTLE_ENDIAN));
            b = b.add(LongVector.fromMemorySegment(L, segment, o + L.vectorByteSize(), ByteOrder.LITTLE_ENDIAN));
            c = c.add(LongVector.fromMemorySegment(L, segment, o + 2L * L.vectorByteSize(), ByteOrder.LITTLE_ENDIAN));
            d = d.add(LongVector.fromMemorySegment(L, segment, o + 3L * L.vectorByteSize(), ByteOrder.LITTLE_ENDIAN));
        }
        return a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD);
    }
}
