package io.heavykv.lossless;

import io.heavykv.kvcache.KvPage;
import io.heavykv.kvcache.PagedLayer;

import java.util.function.IntPredicate;

/** Which layers and pages the runtime compresses, and when it looks at them: the scope, hot zones and sampling. */
final class Eligibility {
    private final LosslessConfig config;
    private final boolean[] inScope;
    private final boolean[] sampledKept;
    /** Layers the cache evicts from: their context models keep no rows (most would belong to evicted tokens). */
    private final boolean[] evicts;

    Eligibility(LosslessConfig config, int layers, IntPredicate evicting) {
        this.config = config;
        this.inScope = new boolean[layers];
        this.sampledKept = new boolean[layers];
        this.evicts = new boolean[layers];
        int keptSeen = 0;
        for (int l = 0; l < layers; l++) {
            boolean front = config.scope().includesFront() && l < config.frontN();
            boolean kept = config.scope().includesKept() && evicting.test(l) && !front;
            if (kept) {
                keptSeen++;
                kept = config.keptSampleLayers() == 0 || keptSeen <= config.keptSampleLayers();
            }
            evicts[l] = evicting.test(l);
            inScope[l] = front || kept;
            sampledKept[l] = kept;
        }
    }

    /** Whether the runtime may compress pages of {@code layer} at all. */
    boolean inScope(int layer) { return inScope[layer]; }

    /** Whether the context models of {@code layer} keep rows for references (see {@link io.heavykv.codec.StreamCoder}). */
    boolean keepsRows(int layer) { return !evicts[layer]; }

    /** Whether pages of {@code layer} are queued for encoding at {@code step} (kept-range layers may be sampled). */
    boolean submitting(int layer, long step) {
        return inScope[layer] && (!sampledKept[layer] || step % config.keptSampleTokenInterval() == 0);
    }

    /** Whether page {@code p} of a layer, starting at cache slot {@code slot}, is one the runtime compresses. */
    boolean eligible(int layer, PagedLayer pages, int p, int slot) {
        KvPage page = pages.page(p);
        // Appends only go to the last page; any other page changes only when eviction touches it, so an
        // under-full page that H2O compacted is as settled as a full one.
        boolean settled = page.isFull() || p < pages.pageCount() - 1;
        return inScope[layer] && settled && slot >= config.hotSinkTokens()
                && slot + page.count() <= pages.length() - config.hotRecentTokens() && probed(page);
    }

    /** Whether a block of a layer starting at cache slot {@code from}, {@code block} tokens long, is one probe mode samples. */
    boolean probedBlock(int from, int block) {
        return config.mode() != LosslessMode.PROBE || (from / block) % config.probeEvery() == 0;
    }

    private boolean probed(KvPage page) {
        return config.mode() != LosslessMode.PROBE || (page.position(0) / page.capacity()) % config.probeEvery() == 0;
    }
}
