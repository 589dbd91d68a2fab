package io.heavykv.lossless;

import io.heavykv.codec.Dictionaries;
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
        for (int l = 0; l < streams.length; l++) {
            if (streams[l][0] != null) {
                streams[l][0].release();
                streams[l][1].release();
            }
            streams[l][0] = config.streamCoder(dictionaries, eligibility.keepsRows(l));
            streams[l][1] = config.streamCoder(dictionaries, eligibility.keepsRows(l));
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

    /** Memory of what the streams learned: dictionaries, the models not retired, and the trainers. */
    long bytes() {
        long bytes = dictionaries.bytes();
        for (StreamCoder[] layer : streams) {
            for (StreamCoder stream : layer) bytes += stream.trainerBytes();
        }
        return bytes;
    }

    void close() { dictionaries.closeAll(); }
}
