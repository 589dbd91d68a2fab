package io.heavykv.lossless;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Encodes pages off the decode thread: a fixed set of workers fed by a bounded queue. Submitting never
 * blocks: a full queue refuses the task (the caller counts the skip). Results wait in a queue of their own
 * until the decode thread drains them at a step boundary. With no workers, tasks run on the caller's thread
 * at submission, and their results are drained the same way.
 */
final class EncodePipeline implements AutoCloseable {
    /** One page to encode: its payload and positions as copied on the decode thread. */
    record Task(long epoch, int layer, io.heavykv.kvcache.KvPage page, long version, byte[] raw, int tokens, int[] positions) {
        /** A task for the page as it is now. */
        static Task of(long epoch, int layer, io.heavykv.kvcache.KvPage page) {
            int[] positions = new int[page.count()];
            for (int t = 0; t < positions.length; t++) positions[t] = page.position(t);
            return new Task(epoch, layer, page, page.version(), page.rawBytes(), page.count(), positions);
        }
    }

    /**
     * What a worker made of a task: frames, and why they must not be used if they must not ({@code frames}
     * is null when encoding failed). Times in nanoseconds.
     */
    record Result(Task task, PageFrames frames, String failure, long encodeNanos, long verifyNanos) { }

    private static final Task STOP = new Task(-1, -1, null, 0, new byte[0], 0, null);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final Supplier<PageCodec> codecs;
    private final PageCodec inline;
    private final BlockingQueue<Task> tasks;
    private final Queue<Result> results = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Thread> workers = new ArrayList<>();
    private int peak;
    /** Bytes of the page copies submitted and not yet drained: memory the runtime holds for them meanwhile. */
    private long pendingBytes;

    /**
     * @param codecs  makes a worker's codec (each worker owns and closes one)
     * @param inline  the decode thread's codec, used when {@code threads} is 0
     */
    EncodePipeline(int threads, int capacity, Supplier<PageCodec> codecs, PageCodec inline) {
        this.codecs = codecs;
        this.inline = inline;
        this.tasks = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(this::work, "heavykv-lossless-" + THREAD_IDS.incrementAndGet());
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /** Queues a task; false when the queue is full (backpressure). */
    boolean submit(Task task) {
        if (workers.isEmpty()) {
            results.add(run(inline, task));
            pendingBytes += task.raw().length;
            return true;
        }
        int now = inFlight.incrementAndGet();
        if (!tasks.offer(task)) {
            inFlight.decrementAndGet();
            return false;
        }
        pendingBytes += task.raw().length;
        peak = Math.max(peak, now);
        return true;
    }

    /** Hands every finished result to {@code sink}, on the calling thread. */
    void drain(Consumer<Result> sink) {
        for (Result r; (r = results.poll()) != null; ) {
            pendingBytes -= r.task().raw().length;
            sink.accept(r);
        }
    }

    /** Bytes of page copies queued, being encoded, or encoded and waiting to be drained (submit and drain run on one thread). */
    long pendingBytes() { return pendingBytes; }

    /** Most tasks queued or running at once. */
    int peak() { return peak; }

    void resetPeak() { peak = inFlight.get(); }

    private void work() {
        try (PageCodec codec = codecs.get()) {
            while (true) {
                Task task = tasks.take();
                if (task == STOP) return;
                results.add(run(codec, task));
                inFlight.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Encodes, then decodes again and compares: a frame that does not round-trip is never installed. */
    private static Result run(PageCodec codec, Task task) {
        long start = System.nanoTime();
        PageFrames frames;
        try {
            frames = codec.encode(task.layer(), task.raw(), task.tokens(), task.positions(), task.version());
        } catch (RuntimeException e) {
            return new Result(task, null, "encode failed: " + e, System.nanoTime() - start, 0);
        }
        long encoded = System.nanoTime();
        String failure = null;
        try {
            if (!java.util.Arrays.equals(codec.decode(frames), task.raw())) failure = "frames decode to other bytes";
        } catch (RuntimeException e) {
            failure = "frames do not decode: " + e.getMessage();
        }
        return new Result(task, frames, failure, encoded - start, System.nanoTime() - encoded);
    }

    /** Stops and joins every worker; queued tasks are dropped. */
    @Override
    public void close() {
        tasks.clear();
        for (int i = 0; i < workers.size(); i++) {
            // Workers drain the queue, so room for the stop marks appears; never wait forever on one.
            boolean queued = false;
            while (!queued) {
                try {
                    queued = tasks.offer(STOP, 10, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    workers.forEach(Thread::interrupt);
                    break;
                }
            }
        }
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (worker.isAlive()) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    worker.interrupt();
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        workers.clear();
        results.clear();
    }
}
