package io.heavykv.lossless;

import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvPage;
import io.heavykv.kvcache.KvStorage;
import io.heavykv.kvcache.PageStore;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;

import java.util.function.IntPredicate;

/**
 * The lossless KV runtime: compresses eligible pages in the background and, in store mode, keeps only
 * their frames between reads. It composes the parts that do each job: {@link Eligibility} (which pages),
 * {@link FrameTable} (what each page holds), {@link StreamModels} (the coders and their models, retired when
 * unused), {@link EncodePipeline} (encoding off the decode thread), {@link Restorer} (bringing pages back),
 * {@link ReleaseGovernor} (the decode budget) and {@link Counters}.
 *
 * <p>Per step, on the decode thread: at the start, finished frames are installed if their page still has
 * the version they were made from; per layer, before attention, released pages come back (decode cache
 * first) and, in store mode, the layer read before is released again; at the end, pages that became
 * eligible are copied and queued for encoding, and store mode releases the framed pages of the last layer.
 * Full mode decodes every framed page too but serves the raw ones, so its figures show what store mode would meet.
 */
public final class LosslessRuntime implements PageStore {
    private final LosslessConfig config;
    private final KvGeometry geometry;
    private final KvStorage storage;
    private final Eligibility eligibility;
    private final FrameTable table;
    private final StreamModels models;
    private final PageCodec decoder;
    private final EncodePipeline pipeline;
    private final Restorer restorer;
    private final ReleaseGovernor governor;
    private final Counters counters = new Counters();
    private PagedLayer lastRead;
    private long epoch;
    private long step;
    /** Raw K/V bytes of the held tokens and resident page bytes (as allocated), at the last step boundary. */
    private long cacheRawBytes, residentBytes;
    private boolean closed;

    private LosslessRuntime(LosslessConfig config, KvGeometry geometry, KvStorage storage, IntPredicate evicting) {
        this.config = config;
        this.geometry = geometry;
        this.storage = storage;
        int layers = geometry.layers();
        this.eligibility = new Eligibility(config, layers, evicting);
        this.table = new FrameTable(layers);
        this.models = new StreamModels(config, eligibility, layers);
        this.decoder = codec();
        this.pipeline = new EncodePipeline(config.asyncThreads(), config.queueCapacity(), this::codec, decoder);
        this.restorer = new Restorer(config, layers, table, counters, this::codec, decoder);
        this.governor = new ReleaseGovernor(config.decodeBudget());
    }

    /**
     * The page store a config asks for: {@link PageStore#NONE} when lossless is off.
     *
     * @param evicting which layers the eviction policy evicts (the H2O kept scope)
     */
    public static PageStore open(LosslessConfig config, KvGeometry geometry, KvStorage storage, IntPredicate evicting) {
        if (!config.enabled()) return PageStore.NONE;
        config.requireFits(geometry.layers());
        return new LosslessRuntime(config, geometry, storage, evicting);
    }

    /** The lossless figures of a cache, or those of a run without lossless compression. */
    public static LosslessStats statsOf(PagedKvCache<?> cache, double lossyRatio) {
        return cache.store() instanceof LosslessRuntime runtime ? runtime.stats(lossyRatio) : LosslessStats.off(lossyRatio);
    }

    public LosslessConfig config() { return config; }
    /** Whether the runtime may compress pages of {@code layer} at all. */
    public boolean inScope(int layer) { return eligibility.inScope(layer); }

    private PageCodec codec() {
        return new PageCodec(storage.dtype(), geometry.kvHeads(), geometry.headSize(), models.streams(), config.zstdLevel(),
                models.dictionaries());
    }

    @Override
    public void beforeStep(PagedKvCache<?> cache) {
        long start = System.nanoTime();
        governor.stepStarts(start);
        lastRead = null;
        restorer.decodeCache().tick();
        pipeline.drain(this::install);
        models.retire(step, table);
        counters.criticalNanos += System.nanoTime() - start;
    }

    private void install(EncodePipeline.Result result) {
        EncodePipeline.Task task = result.task();
        if (result.frames() != null) {
            // From here the frames are held by an entry, or by nothing: either way, no longer in flight.
            models.dictionaries().unpin(result.frames().kDictionary());
            models.dictionaries().unpin(result.frames().vDictionary());
        }
        if (task.epoch() != epoch) return;
        counters.encoded(result.encodeNanos(), result.verifyNanos());
        governor.encoded(result.encodeNanos() + result.verifyNanos());
        FrameTable.Entry entry = table.get(task.layer(), task.page());
        if (entry == null) {
            counters.staleFrames++;
            return;
        }
        entry.inFlight = false;
        if (result.failure() != null) {
            counters.fallback(config.mode(), task.layer(), task.page(), result.failure());
            return;
        }
        if (task.page().version() != task.version()) {
            counters.staleFrames++;
            return;
        }
        entry.frames = result.frames();
        counters.won(result.frames());
    }

    /** Releases the layer read before (store mode), then makes every page of this one resident. */
    @Override
    public void beforeRead(int layer, PagedLayer pages) {
        long start = System.nanoTime();
        try {
            if (config.mode() == LosslessMode.STORE && lastRead != null && lastRead != pages) release(lastRead);
            lastRead = pages;
            restorer.restoreLayer(layer, pages);
        } finally {
            long spent = System.nanoTime() - start;
            counters.criticalNanos += spent;
            governor.read(spent);
        }
    }

    @Override
    public void restore(int layer, KvPage page) {
        long start = System.nanoTime();
        try { restorer.restore(layer, page); } finally { counters.criticalNanos += System.nanoTime() - start; }
    }

    @Override
    public void afterStep(PagedKvCache<?> cache) {
        long start = System.nanoTime();
        step++;
        cacheRawBytes = residentBytes = 0;
        governor.scanStarts();
        for (int l = 0; l < cache.layers(); l++) {
            PagedLayer pages = cache.layer(l);
            scan(l, pages);
            // Encoded inline just now: installed at once, so the page is released now, not held raw a step longer.
            if (config.asyncThreads() == 0) pipeline.drain(this::install);
            if (config.mode() == LosslessMode.STORE) release(pages);
            for (int p = 0; p < pages.pageCount(); p++) residentBytes += pages.page(p).residentBytes();
        }
        lastRead = null;
        counters.criticalNanos += System.nanoTime() - start;
    }

    /** Marks eligible pages, queues the ones without current frames, forgets pages that left the layer; sums the layer's bytes. */
    private void scan(int layer, PagedLayer pages) {
        boolean submitting = eligibility.submitting(layer, step);
        int slot = 0;
        for (int p = 0; p < pages.pageCount(); p++) {
            KvPage page = pages.page(p);
            cacheRawBytes += page.rawByteSize();
            boolean eligible = eligibility.eligible(layer, pages, p, slot);
            slot += page.count();
            FrameTable.Entry entry = table.get(layer, page);
            if (entry == null) {
                if (!eligible) continue;
                entry = table.track(layer, page);
            }
            entry.seenStep = step;
            entry.eligible = eligible;
            if (eligible && config.mode() == LosslessMode.STORE && !governor.mayFrame(page, entry)) continue;
            if (eligible && submitting && !entry.inFlight && !entry.valid(page) && page.resident()) submit(layer, page, entry);
        }
        table.forgetUnseen(layer, step);
    }

    private void submit(int layer, KvPage page, FrameTable.Entry entry) {
        EncodePipeline.Task task = EncodePipeline.Task.of(epoch, layer, page);
        long start = System.nanoTime();
        boolean queued = pipeline.submit(task);
        if (config.asyncThreads() > 0) counters.asyncWaitNanos += System.nanoTime() - start;
        if (queued) entry.inFlight = true;
        else counters.skipped++;
    }

    /** Store mode: drops the payload of every eligible page whose frames match it, up to the step's release limit. */
    private void release(PagedLayer pages) {
        for (int p = 0; p < pages.pageCount() && governor.mayRelease(); p++) {
            KvPage page = pages.page(p);
            if (!page.resident()) continue;
            FrameTable.Entry entry = table.get(pages.index(), page);
            if (entry == null || !entry.eligible || !entry.valid(page)) continue;
            if (config.strict() && !restorer.verified(pages.index(), page, entry)) continue;
            page.release();
            governor.released();
        }
    }

    /** The lossless figures of the cache as it stands, made deterministic (see {@link Settler}); null without lossless. */
    public static Settled settled(PagedKvCache<?> cache) {
        if (!(cache.store() instanceof LosslessRuntime r)) return null;
        return new Settler(r.config, r.geometry, r.storage, r.eligibility, r.restorer).settle(cache);
    }

    /** Raw and encoded bytes of the blocks {@link #settled} encoded. */
    public record Settled(long rawBytes, long storedBytes) {
        public double ratio() { return storedBytes == 0 ? 1.0 : (double) rawBytes / storedBytes; }
    }

    /** What the runtime trained (tests check what retirement left). */
    io.heavykv.codec.Dictionaries dictionaries() { return models.dictionaries(); }

    /** The frames a page holds now, if current (tests corrupt them to exercise the failure paths). */
    PageFrames framesOf(int layer, KvPage page) { return table.framesOf(layer, page); }

    /** Puts other frames in place of a page's current ones (tests cut or swap frames, which no in-place change can). */
    void replaceFrames(int layer, KvPage page, PageFrames frames) {
        FrameTable.Entry entry = table.get(layer, page);
        if (entry == null || !entry.valid(page)) throw new IllegalStateException("layer " + layer + " page holds no current frames");
        entry.frames = frames;
    }

    public LosslessStats stats(double lossyRatio) {
        DecodeCache cache = restorer.decodeCache();
        return counters.stats(config.mode(), lossyRatio, new Counters.Held(table.totals(), cache.bytes(), models.bytes(),
                pipeline.pendingBytes(), cacheRawBytes, residentBytes, pipeline.peak(), cache.hits(), cache.misses()));
    }

    @Override
    public void reset() {
        epoch++;
        step = 0;
        lastRead = null;
        table.clear();
        models.renew();
        restorer.decodeCache().clear();
        counters.reset();
        cacheRawBytes = residentBytes = 0;
        governor.reset();
        pipeline.resetPeak();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pipeline.close();
        decoder.close();
        restorer.close();
        models.close();
    }
}
