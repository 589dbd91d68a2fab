package io.heavykv.lossless;

import io.heavykv.codec.Dictionaries;
import io.heavykv.codec.GroupCounts;
import io.heavykv.codec.StreamCoder;

/**
 * The coders of every layer's K and V streams and what they learned (dictionaries and context models), with
 * the retirement of models no held frame needs any more.
 */
final class StreamModels {
    /** Steps between looks for context models to retire: they only cost memory meanwhile. */
    static final int RETIRE_INTERVAL = 16;

    private final LosslessConfig config;
    private final Eligibility eligibility;
    private final Dictionaries dictionaries = new Dictionaries();
    /** [layer][0 = K, 1 = V]. */
    private final StreamCoder[][] streams;
    /** The field counts the K streams pool, and those the V streams pool. */
    private GroupCounts[] counts;

    StreamModels(LosslessConfig config, Eligibility eligibility, int layers) {
        this.config = config;
        this.eligibility = eligibility;
        this.streams = new StreamCoder[layers][2];
        renew();
    }

    Dictionaries dictionaries() { return dictionaries; }

    StreamCoder[][] streams() { return streams; }

    /** New streams that learn from nothing (a new sequence); the old ones let go of their current models. */
    void renew() {
        counts = new GroupCounts[] {new GroupCounts(), new GroupCounts()};
        StreamCoder[][] fresh = config.streamCoders(streams.length, dictionaries, eligibility::keepsRows, counts);
        for (int l = 0; l < streams.length; l++) {
            for (int s = 0; s < 2; s++) {
                if (streams[l][s] != null) streams[l][s].release();
                streams[l][s] = fresh[l][s];
            }
        }
    }

    /**
     * Every {@link #RETIRE_INTERVAL} steps, drops the context models that no held frame names and nothing pins (a
     * stream's current model, a frame in flight: see {@link Dictionaries#pin}). Each stream snapshots its model as
     * it learns, and without this every snapshot would stay for the whole run. Frames change only on the decode
     * thread, which calls this, so the ids read here stay true until the retirement.
     */
    void retire(long step, FrameTable frames) {
        if (step % RETIRE_INTERVAL == 0) dictionaries.retireModels(frames.modelsInUse()::contains);
    }

    /** Memory of what the streams learned: dictionaries, the models not retired, the trainers and the pooled counts. */
    long bytes() {
        long bytes = dictionaries.bytes() + counts[0].bytes() + counts[1].bytes();
        for (StreamCoder[] layer : streams) {
            for (StreamCoder stream : layer) bytes += stream.trainerBytes();
        }
        return bytes;
    }

    void close() { dictionaries.closeAll(); }
}
