package io.heavykv.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits an index range over one worker per core (the calling thread is one of them).
 *
 * <p>Decode calls this hundreds of times per token, so a call must cost microseconds, not the
 * tens of microseconds of an executor round trip: idle workers spin briefly on the current job before
 * parking, chunks are claimed from an atomic counter (so a core slowed by other load simply takes fewer),
 * and the caller parks only when the last chunk is still running elsewhere. A call made while the pool is
 * busy (from inside a body, or from a second thread) runs serially in its caller instead of deadlocking.
 */
public final class Parallel {

    /** Work on the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Chunks per thread: enough for a core slowed by other load to hand work to the others. */
    private static final int CHUNKS_PER_THREAD = 4;
    /** How long an idle worker keeps polling before parking; covers the serial gaps between kernels. */
    private static final long SPIN_NANOS = 100_000;

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static volatile Job current;
    private static final Worker[] WORKERS = startWorkers();

    private Parallel() {
    }

    public static int threads() { return THREADS; }

    /** Runs {@code body} over {@code [from, to)} in chunks of at least one index. */
    public static void forRange(int from, int to, RangeBody body) {
        forRange(from, to, 1, body);
    }

    /**
     * Below this many multiply-adds a chunk is not worth handing to another core: the hand-off costs more
     * than the work (decode on small models is made of such steps).
     */
    public static final int MIN_WORK_PER_CHUNK = 1 << 15;

    /**
     * Runs {@code body} over {@code [from, to)} where each index costs about {@code workPerIndex}
     * multiply-adds, in chunks of at least {@link #MIN_WORK_PER_CHUNK} work and {@code minChunk} indices.
     */
    public static void forWork(int from, int to, long workPerIndex, int minChunk, RangeBody body) {
        long perChunk = MIN_WORK_PER_CHUNK / Math.max(1, workPerIndex);
        forRange(from, to, (int) Math.max(minChunk, Math.min(Integer.MAX_VALUE, perChunk)), body);
    }

    /**
     * Runs {@code body} over {@code [from, to)} in chunks of at least {@code minChunk} indices
     * (so tiny ranges stay on the calling thread), returning when every chunk is done. An exception
     * thrown by a chunk is rethrown here.
     */
    public static void forRange(int from, int to, int minChunk, RangeBody body) {
        int n = to - from;
        if (n <= 0) return;
        int chunks = (int) Math.min((long) THREADS * CHUNKS_PER_THREAD, (n + (long) minChunk - 1) / Math.max(1, minChunk));
        if (chunks <= 1 || THREADS == 1 || !BUSY.compareAndSet(false, true)) {
            body.run(from, to);
            return;
        }
        try {
            Job job = new Job(from, to, chunks, body, Thread.currentThread());
            current = job;
            for (Worker w : WORKERS) {
                if (w.sleeping) LockSupport.unpark(w);
            }
            job.work();
            job.awaitDone();
            current = null;
            if (job.error != null) {
                if (job.error instanceof RuntimeException re) throw re;
                if (job.error instanceof Error e) throw e;
                throw new IllegalStateException(job.error);
            }
        } finally {
            BUSY.set(false);
        }
    }

    private static Worker[] startWorkers() {
        Worker[] workers = new Worker[THREADS - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
        return workers;
    }

    private static final class Job {
        final int from;
        final int to;
        final int chunks;
        final RangeBody body;
        final Thread owner;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger pending;
        volatile Throwable error;

        Job(int from, int to, int chunks, RangeBody body, Thread owner) {
            this.from = from;
            this.to = to;
            this.chunks = chunks;
            this.body = body;
            this.owner = owner;
            this.pending = new AtomicInteger(chunks);
        }

        void work() {
            long n = to - from;
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                int a = from + (int) (n * c / chunks);
                int b = from + (int) (n * (c + 1) / chunks);
                try {
                    if (error == null) body.run(a, b);
                } catch (Throwable t) {
                    error = t;
                }
                if (pending.decrementAndGet() == 0 && Thread.currentThread() != owner) {
                    LockSupport.unpark(owner);
                }
            }
        }

        void awaitDone() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (pending.get() != 0) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }

    private static final class Worker extends Thread {
        volatile boolean sleeping;

        Worker(int index) {
            super("heavykv-parallel-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null;
            while (true) {
                Job job = awaitJob(seen);
                seen = job;
                job.work();
            }
        }

        private Job awaitJob(Job seen) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Job job = current;
                if (job != null && job != seen) return job;
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    continue;
                }
                // Dekker-style hand-off with forRange: publish "sleeping" before the re-check, so a job
                // published after the re-check is always followed by an unpark.
                sleeping = true;
                job = current;
                if (job == null || job == seen) LockSupport.park(this);
                sleeping = false;
                deadline = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
