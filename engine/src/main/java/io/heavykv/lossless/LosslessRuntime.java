package io.heavykv.lossless;

import io.heavykv.codec.CorruptFrameException;
import io.heavykv.codec.Dictionaries;
import io.heavykv.codec.StreamCoder;
import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvPage;
import io.heavykv.kvcache.KvStorage;
import io.heavykv.kvcache.PageStore;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;
import io.heavykv.tensor.Parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntPredicate;

/**
 * The lossless KV runtime: compresses eligible pages in the background and, in store mode, keeps only
 * their frames between reads.
 *
 * <p>Per step, on the decode thread: at the start, finished frames are installed if their page still has
 * the version they were made from; per layer, before attention, released pages come back (decode cache
 * first) and, in store mode, the layer read before is released again; at the end, pages that became
 * eligible are copied and queued for encoding, and store mode releases the framed pages of the last layer.
 * A layer's decode-cache misses are decoded together, spread over the compute threads.
 * Full mode serves every framed page through the decode path too (raw pages stay and are what attention
 * reads), so its decode figures and fallbacks show what store mode would meet. Under a decode budget, store
 * mode releases only as many pages per step as keep the restores within their share of the step.
 */
public final class LosslessRuntime implements PageStore {
    private static final System.Logger LOG = System.getLogger(LosslessRuntime.class.getName());
    /** Steps between looks for context models to retire: they only cost memory meanwhile. */
    static final int RETIRE_INTERVAL = 16;

    private final LosslessConfig config;
    private final KvGeometry geometry;
    private final KvStorage storage;
    private final boolean[] inScope;
    private final boolean[] sampledKept;
    /** Layers the cache evicts from: their context models keep no rows (most would belong to evicted tokens). */
    private final boolean[] evicts;
    private final List<Map<KvPage, Entry>> entries = new ArrayList<>();
    private final Dictionaries dictionaries = new Dictionaries();
    private final StreamCoder[][] streams;
    private final PageCodec decoder;
    private final EncodePipeline pipeline;
    private final DecodeCache decodeCache;
    /** Decoders the compute threads borrow for parallel restores; all of them are closed with the runtime. */
    private final Queue<PageCodec> spareDecoders = new ConcurrentLinkedQueue<>();
    private final List<PageCodec> allDecoders = new ArrayList<>();
    private final List<Miss> misses = new ArrayList<>();
    private final Map<String, Long> codecWins = new TreeMap<>();
    private PagedLayer lastRead;
    private long epoch;
    private long step;
    private long pagesEncoded;
    private long encodeNanos;
    private long encodeMaxNanos;
    private long decodeNanos;
    private long decodeMaxNanos;
    private long restores;
    private long fallbacks;
    private long decodeFailures;
    private long staleFrames;
    private long asyncWaitNanos;
    /** Wall time the forward pass spent inside this runtime's hooks: its direct cost on the decode critical path. */
    private long criticalNanos;
    private long skipped;
    /** Raw K/V bytes of every page of the cache at the last step boundary. */
    private long cacheRawBytes;
    /** Store mode under a decode budget: pages that may be released per step, and what the step did. */
    private int releaseLimit = Integer.MAX_VALUE;
    private int releasedThisStep;
    private int framedThisStep;
    private long readNanosThisStep;
    private long stepStart;
    private boolean warned;
    private boolean closed;

    /** What the runtime knows about one page. */
    private static final class Entry {
        PageFrames frames;
        boolean inFlight;
        boolean eligible;
        long seenStep;

        boolean valid(KvPage page) { return frames != null && frames.version() == page.version(); }
    }

    private LosslessRuntime(LosslessConfig config, KvGeometry geometry, KvStorage storage, IntPredicate evicting) {
        this.config = config;
        this.geometry = geometry;
        this.storage = storage;
        int layers = geometry.layers();
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
            entries.add(new IdentityHashMap<>());
        }
        this.streams = new StreamCoder[layers][2];
        newStreams();
        this.decoder = codec();
        this.pipeline = new EncodePipeline(config.asyncThreads(), config.queueCapacity(), this::codec, decoder);
        this.decodeCache = new DecodeCache(layers, config.decodeCacheBlocks(), config.globalDecodeCacheBlocks());
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
    public boolean inScope(int layer) { return inScope[layer]; }

    private PageCodec codec() {
        return new PageCodec(storage.dtype(), geometry.kvHeads(), geometry.headSize(), streams, config.zstdLevel(), dictionaries);
    }

    private void newStreams() {
        for (int l = 0; l < streams.length; l++) {
            StreamCoder[] layer = streams[l];
            if (layer[0] != null) {
                layer[0].release();
                layer[1].release();
            }
            layer[0] = config.streamCoder(dictionaries, keepsRows(l));
            layer[1] = config.streamCoder(dictionaries, keepsRows(l));
        }
    }

    private boolean keepsRows(int layer) { return !evicts[layer]; }

    @Override
    public void beforeStep(PagedKvCache<?> cache) {
        long start = System.nanoTime();
        if (config.decodeBudget() > 0 && stepStart != 0) steerReleases(start - stepStart);
        stepStart = start;
        readNanosThisStep = 0;
        releasedThisStep = 0;
        lastRead = null;
        decodeCache.tick();
        pipeline.drain(this::install);
        if (step % RETIRE_INTERVAL == 0) retireUnusedModels();
        criticalNanos += System.nanoTime() - start;
    }

    /**
     * Keeps the time restores took within the decode budget's share of the step: over it, the release limit
     * shrinks in proportion (the pages released first, in layer order, stay released); well under it, the
     * limit grows by an eighth a step, so it settles just below the budget.
     */
    private void steerReleases(long stepNanos) {
        double share = (double) readNanosThisStep / Math.max(1, stepNanos);
        double budget = config.decodeBudget();
        if (share > budget) {
            releaseLimit = (int) (releasedThisStep * budget / share);
        } else if (share < 0.75 * budget && releaseLimit < Integer.MAX_VALUE / 2) {
            releaseLimit += Math.max(1, releaseLimit / 8);
        }
    }

    /**
     * Drops the context models that no held frame names and nothing pins (a stream's current model, a frame
     * in flight: see {@link Dictionaries#pin}). Each stream snapshots its model as it learns, and without this
     * every snapshot would stay for the whole run. Entries change only on this thread, so the ids read here
     * stay true until the retirement.
     */
    private void retireUnusedModels() {
        Set<Integer> inUse = new HashSet<>();
        for (Map<KvPage, Entry> layer : entries) {
            for (Entry entry : layer.values()) {
                if (entry.frames == null) continue;
                inUse.add(entry.frames.kDictionary());
                inUse.add(entry.frames.vDictionary());
            }
        }
        dictionaries.retireModels(inUse::contains);
    }

    private void install(EncodePipeline.Result result) {
        EncodePipeline.Task task = result.task();
        if (result.frames() != null) {
            // From here the frames are held by an entry, or by nothing: either way, no longer in flight.
            dictionaries.unpin(result.frames().kDictionary());
            dictionaries.unpin(result.frames().vDictionary());
        }
        if (task.epoch() != epoch) return;
        pagesEncoded++;
        encodeNanos += result.encodeNanos();
        encodeMaxNanos = Math.max(encodeMaxNanos, result.encodeNanos());
        decodeNanos += result.verifyNanos();
        decodeMaxNanos = Math.max(decodeMaxNanos, result.verifyNanos());
        Entry entry = entries.get(task.layer()).get(task.page());
        if (entry == null) {
            staleFrames++;
            return;
        }
        entry.inFlight = false;
        if (result.failure() != null) {
            fallback(task.layer(), task.page(), result.failure());
            return;
        }
        if (task.page().version() != task.version()) {
            staleFrames++;
            return;
        }
        entry.frames = result.frames();
        codecWins.merge(result.frames().kLabel(), 1L, Long::sum);
        codecWins.merge(result.frames().vLabel(), 1L, Long::sum);
    }

    @Override
    public void beforeRead(int layer, PagedLayer pages) {
        long start = System.nanoTime();
        try {
            prepare(layer, pages);
        } finally {
            long spent = System.nanoTime() - start;
            criticalNanos += spent;
            readNanosThisStep += spent;
        }
    }

    /** Releases the layer read before (store mode), then makes every page of this one resident. */
    private void prepare(int layer, PagedLayer pages) {
        if (config.mode() == LosslessMode.STORE && lastRead != null && lastRead != pages) release(lastRead);
        lastRead = pages;
        Map<KvPage, Entry> known = entries.get(layer);
        misses.clear();
        for (int p = 0; p < pages.pageCount(); p++) {
            KvPage page = pages.page(p);
            if (!page.resident()) {
                Entry entry = framesFor(layer, p, page);
                if (!restoreCached(layer, page, entry)) misses.add(new Miss(p, page, entry));
            } else if (config.mode() == LosslessMode.FULL) {
                Entry entry = known.get(page);
                if (entry != null && entry.valid(page) && decodeCache.get(layer, entry.frames.key()) == null) {
                    misses.add(new Miss(p, page, entry));
                }
            }
        }
        if (misses.isEmpty()) return;
        Decoded[] decoded = decodeAll(misses);
        for (int i = 0; i < decoded.length; i++) {
            Miss miss = misses.get(i);
            if (miss.page().resident()) serve(layer, miss.page(), miss.entry(), decoded[i]);
            else bringBack(layer, miss.index(), miss.page(), miss.entry(), decoded[i]);
        }
    }

    @Override
    public void restore(int layer, KvPage page) {
        long start = System.nanoTime();
        try {
            restoreForChange(layer, page);
        } finally {
            criticalNanos += System.nanoTime() - start;
        }
    }

    private void restoreForChange(int layer, KvPage page) {
        Entry entry = framesFor(layer, -1, page);
        if (!restoreCached(layer, page, entry)) bringBack(layer, -1, page, entry, decode(decoder, entry.frames));
    }

    /** Restores a released page from the decode cache; false when the cache holds no payload of its frames. */
    private boolean restoreCached(int layer, KvPage page, Entry entry) {
        KvPage.Payload payload = decodeCache.get(layer, entry.frames.key());
        if (payload == null) return false;
        page.share(payload);
        restores++;
        return true;
    }

    /** The entry of a released page; a released page without frames of its version cannot come back. */
    private Entry framesFor(int layer, int index, KvPage page) {
        Entry entry = entries.get(layer).get(page);
        if (entry == null || !entry.valid(page)) {
            decodeFailures++;
            throw new LosslessDecodeException(layer, index, describe(page) + " was released without frames of its version", null);
        }
        return entry;
    }

    /** A framed page the decode cache did not hold, at its index in the layer. */
    private record Miss(int index, KvPage page, Entry entry) { }

    /** What decoding one page's frames gave: the payload, or the reason it failed; and how long it took. */
    private record Decoded(byte[] raw, CorruptFrameException failure, long nanos) { }

    /**
     * Decodes the frames of every miss, spread over the compute threads: the restores of a layer lie on the
     * decode critical path, between two kernels that keep every core busy, so they should use every core too.
     * Each chunk borrows a codec of its own (codec contexts are single-threaded).
     */
    private Decoded[] decodeAll(List<Miss> work) {
        Decoded[] out = new Decoded[work.size()];
        Parallel.forRange(0, out.length, 1, (from, to) -> {
            PageCodec codec = borrowDecoder();
            try {
                for (int i = from; i < to; i++) out[i] = decode(codec, work.get(i).entry().frames);
            } finally {
                spareDecoders.add(codec);
            }
        });
        return out;
    }

    private PageCodec borrowDecoder() {
        PageCodec codec = spareDecoders.poll();
        if (codec != null) return codec;
        codec = codec();
        synchronized (allDecoders) {
            allDecoders.add(codec);
        }
        return codec;
    }

    private static Decoded decode(PageCodec codec, PageFrames frames) {
        long start = System.nanoTime();
        try {
            return new Decoded(codec.decode(frames), null, System.nanoTime() - start);
        } catch (CorruptFrameException e) {
            return new Decoded(null, e, System.nanoTime() - start);
        } catch (RuntimeException e) {
            // Damage the frame checks missed can still trip a decoder some other way: the block is as
            // undecodable, and must take the same path (never served as KV).
            return new Decoded(null, new CorruptFrameException("decoder failed: " + e, e), System.nanoTime() - start);
        }
    }

    private void account(Decoded decoded) {
        decodeNanos += decoded.nanos();
        decodeMaxNanos = Math.max(decodeMaxNanos, decoded.nanos());
    }

    /** Restores a released page from its decoded frames; the raw payload is gone, so failure ends the step. */
    private void bringBack(int layer, int index, KvPage page, Entry entry, Decoded decoded) {
        account(decoded);
        if (decoded.failure() != null) {
            decodeFailures++;
            throw new LosslessDecodeException(layer, index, describe(page) + ": frame does not decode: "
                    + decoded.failure().getMessage(), decoded.failure());
        }
        KvPage.Payload payload = page.payloadOf(decoded.raw());
        decodeCache.put(layer, entry.frames.key(), payload);
        page.share(payload);
        restores++;
    }

    /** Full mode: checks frames decoded the way store mode would against the raw page it keeps. */
    private void serve(int layer, KvPage page, Entry entry, Decoded decoded) {
        account(decoded);
        if (decoded.failure() != null) {
            entry.frames = null;
            fallback(layer, page, "frame does not decode: " + decoded.failure().getMessage());
            return;
        }
        if (!Arrays.equals(decoded.raw(), page.rawBytes())) {
            entry.frames = null;
            fallback(layer, page, "frames decode to other bytes than the page holds");
            return;
        }
        decodeCache.put(layer, entry.frames.key(), page.payloadOf(decoded.raw()));
    }

    /** The raw page is still there and is what gets served; the problem is counted and told once. */
    private void fallback(int layer, KvPage page, String reason) {
        fallbacks++;
        if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.WARNING, "lossless " + config.mode() + ": layer " + layer + " " + describe(page)
                    + " served raw: " + reason + " (further fallbacks are only counted)");
        }
    }

    private static String describe(KvPage page) {
        return page.count() == 0 ? "page (empty)"
                : "page of positions " + page.position(0) + ".." + page.position(page.count() - 1);
    }

    @Override
    public void afterStep(PagedKvCache<?> cache) {
        long start = System.nanoTime();
        step++;
        cacheRawBytes = 0;
        framedThisStep = 0;
        for (int l = 0; l < cache.layers(); l++) {
            PagedLayer pages = cache.layer(l);
            scan(l, pages);
            if (config.mode() == LosslessMode.STORE) release(pages);
        }
        lastRead = null;
        criticalNanos += System.nanoTime() - start;
    }

    /** Marks eligible pages, queues the ones without current frames, forgets pages that left the layer; sums the layer's raw bytes. */
    private void scan(int layer, PagedLayer pages) {
        Map<KvPage, Entry> known = entries.get(layer);
        boolean submitting = inScope[layer] && (!sampledKept[layer] || step % config.keptSampleTokenInterval() == 0);
        int slot = 0;
        for (int p = 0; p < pages.pageCount(); p++) {
            KvPage page = pages.page(p);
            int count = page.count();
            cacheRawBytes += page.rawByteSize();
            boolean eligible = eligible(layer, pages, p, slot);
            slot += count;
            Entry entry = known.get(page);
            if (entry == null) {
                if (!eligible) continue;
                entry = new Entry();
                known.put(page, entry);
            }
            entry.seenStep = step;
            entry.eligible = eligible;
            if (eligible && config.mode() == LosslessMode.STORE && !withinReleaseLimit(page, entry)) continue;
            if (eligible && submitting && !entry.inFlight && !entry.valid(page) && page.resident()) submit(layer, page, entry);
        }
        known.values().removeIf(e -> e.seenStep != step);
    }

    /** Whether page {@code p} of a layer, starting at cache slot {@code slot}, is one the runtime compresses. */
    private boolean eligible(int layer, PagedLayer pages, int p, int slot) {
        KvPage page = pages.page(p);
        // Appends only go to the last page; any other page changes only when eviction touches it, so an
        // under-full page that H2O compacted is as settled as a full one.
        boolean settled = page.isFull() || p < pages.pageCount() - 1;
        return inScope[layer] && settled && slot >= config.hotSinkTokens()
                && slot + page.count() <= pages.length() - config.hotRecentTokens() && probed(page);
    }

    /**
     * The lossless figures of the cache as it stands, made deterministic. The online figures ({@link #stats})
     * depend on when the async encoder caught up with the decode thread: which pages hold frames at the end,
     * what each stream learned before them, and even where page boundaries lie (released pages are not merged
     * after eviction). So identical runs differ. These take each in-scope layer's tokens outside the hot zones,
     * cut into whole page-sized blocks from the first one, and encode them afresh in order with streams that
     * start empty: they depend only on the KV, which is bit-identical run to run, and are what gates judge.
     * Costs one encode of those tokens.
     */
    public static Settled settled(PagedKvCache<?> cache) {
        return cache.store() instanceof LosslessRuntime runtime ? runtime.settle(cache) : null;
    }

    /** Raw and encoded bytes of the blocks {@link #settled} encoded. */
    public record Settled(long rawBytes, long storedBytes) {
        public double ratio() { return storedBytes == 0 ? 1.0 : (double) rawBytes / storedBytes; }
    }

    private Settled settle(PagedKvCache<?> cache) {
        Dictionaries fresh = new Dictionaries();
        StreamCoder[][] freshStreams = new StreamCoder[geometry.layers()][2];
        for (int l = 0; l < freshStreams.length; l++) {
            freshStreams[l][0] = config.streamCoder(fresh, keepsRows(l));
            freshStreams[l][1] = config.streamCoder(fresh, keepsRows(l));
        }
        int block = storage.pageTokens();
        PageLayout layout = new PageLayout(geometry.kvHeads(), geometry.headSize(), storage.dtype().bytes());
        long raw = 0;
        long stored = 0;
        try (PageCodec encoder = new PageCodec(storage.dtype(), geometry.kvHeads(), geometry.headSize(), freshStreams,
                config.zstdLevel(), fresh)) {
            for (int l = 0; l < cache.layers(); l++) {
                if (!inScope[l]) continue;
                PagedLayer pages = cache.layer(l);
                byte[][] streams = tokenMajor(l, pages, layout);
                int end = pages.length() - config.hotRecentTokens();
                for (int from = config.hotSinkTokens(); from + block <= end; from += block) {
                    if (config.mode() == LosslessMode.PROBE && (from / block) % config.probeEvery() != 0) continue;
                    int offset = layout.streamBytes(from);
                    int bytes = layout.streamBytes(block);
                    byte[] page = new byte[2 * bytes];
                    layout.join(Arrays.copyOfRange(streams[0], offset, offset + bytes),
                            Arrays.copyOfRange(streams[1], offset, offset + bytes), block, page);
                    PageFrames frames = encoder.encode(l, page, block, null, 0);
                    raw += frames.rawBytes();
                    stored += frames.storedBytes();
                }
            }
        } finally {
            fresh.closeAll();
        }
        return new Settled(raw, stored);
    }

    /** A layer's K and V as token-major streams over all its slots (released pages decoded). */
    private byte[][] tokenMajor(int layer, PagedLayer pages, PageLayout layout) {
        byte[] k = new byte[layout.streamBytes(pages.length())];
        byte[] v = new byte[k.length];
        int offset = 0;
        for (int p = 0; p < pages.pageCount(); p++) {
            KvPage page = pages.page(p);
            byte[] payload = page.resident() ? page.rawBytes() : decode(decoder, framesFor(layer, p, page).frames).raw();
            if (payload == null) throw new LosslessDecodeException(layer, p, describe(page) + ": frame does not decode", null);
            int n = layout.streamBytes(page.count());
            byte[] pk = new byte[n];
            byte[] pv = new byte[n];
            layout.split(payload, page.count(), pk, pv);
            System.arraycopy(pk, 0, k, offset, n);
            System.arraycopy(pv, 0, v, offset, n);
            offset += n;
        }
        return new byte[][] {k, v};
    }

    /**
     * Store mode frames a page only to release it: a page the release limit keeps raw drops its frames (they
     * would only add to the memory it takes) and is not encoded until the limit has room again. Released
     * pages always count and keep theirs. Counted in the order pages are released, layer by layer.
     */
    private boolean withinReleaseLimit(KvPage page, Entry entry) {
        if (!page.resident() || framedThisStep < releaseLimit) {
            framedThisStep++;
            return true;
        }
        if (!entry.inFlight) entry.frames = null;
        return false;
    }

    private boolean probed(KvPage page) {
        return config.mode() != LosslessMode.PROBE || (page.position(0) / page.capacity()) % config.probeEvery() == 0;
    }

    private void submit(int layer, KvPage page, Entry entry) {
        int[] positions = new int[page.count()];
        for (int t = 0; t < positions.length; t++) positions[t] = page.position(t);
        EncodePipeline.Task task = new EncodePipeline.Task(epoch, layer, page, page.version(), page.rawBytes(), page.count(), positions);
        long start = System.nanoTime();
        boolean queued = pipeline.submit(task);
        if (config.asyncThreads() > 0) asyncWaitNanos += System.nanoTime() - start;
        if (queued) entry.inFlight = true;
        else skipped++;
    }

    /** Store mode: drops the payload of every eligible page whose frames match it, up to the step's release limit. */
    private void release(PagedLayer pages) {
        Map<KvPage, Entry> known = entries.get(pages.index());
        for (int p = 0; p < pages.pageCount() && releasedThisStep < releaseLimit; p++) {
            KvPage page = pages.page(p);
            if (!page.resident()) continue;
            Entry entry = known.get(page);
            if (entry == null || !entry.eligible || !entry.valid(page)) continue;
            if (config.strict() && !verified(pages.index(), page, entry)) continue;
            page.release();
            releasedThisStep++;
        }
    }

    private boolean verified(int layer, KvPage page, Entry entry) {
        Decoded decoded = decode(decoder, entry.frames);
        account(decoded);
        if (decoded.failure() != null) {
            fallback(layer, page, "strict check: frame does not decode: " + decoded.failure().getMessage());
        } else if (Arrays.equals(decoded.raw(), page.rawBytes())) {
            return true;
        } else {
            fallback(layer, page, "strict check: frames decode to other bytes than the page holds");
        }
        entry.frames = null;
        return false;
    }

    /** What the runtime trained (tests check what retirement left). */
    Dictionaries dictionaries() { return dictionaries; }

    /** The frames a page holds now, if current (tests corrupt them to exercise the failure paths). */
    PageFrames framesOf(int layer, KvPage page) {
        Entry entry = entries.get(layer).get(page);
        return entry != null && entry.valid(page) ? entry.frames : null;
    }

    public LosslessStats stats(double lossyRatio) {
        long framed = 0;
        long released = 0;
        long raw = 0;
        long stored = 0;
        long releasedRaw = 0;
        long releasedStored = 0;
        for (Map<KvPage, Entry> layer : entries) {
            for (Map.Entry<KvPage, Entry> e : layer.entrySet()) {
                if (!e.getValue().valid(e.getKey())) continue;
                framed++;
                if (!e.getKey().resident()) {
                    released++;
                    releasedRaw += e.getValue().frames.rawBytes();
                    releasedStored += e.getValue().frames.storedBytes();
                }
                raw += e.getValue().frames.rawBytes();
                stored += e.getValue().frames.storedBytes();
            }
        }
        double lossless = stored == 0 ? 1.0 : (double) raw / stored;
        long models = dictionaries.bytes();
        for (StreamCoder[] layer : streams) {
            for (StreamCoder stream : layer) models += stream.trainerBytes();
        }
        return new LosslessStats(config.mode().toString(), framed, released, raw, stored, lossless, lossyRatio,
                lossyRatio * lossless, pagesEncoded, encodeNanos / 1000, encodeMaxNanos / 1000, decodeNanos / 1000,
                decodeMaxNanos / 1000, restores, fallbacks, decodeFailures, staleFrames, pipeline.peak(),
                asyncWaitNanos / 1000, skipped, decodeCache.hits(), decodeCache.misses(), codecWins, models,
                stored + decodeCache.bytes() + models, criticalNanos / 1000, keptRatio(releasedRaw, releasedStored));
    }

    private double keptRatio(long releasedRaw, long releasedStored) {
        long held = cacheRawBytes - releasedRaw + releasedStored;
        return held <= 0 ? 1.0 : (double) cacheRawBytes / held;
    }

    @Override
    public void reset() {
        epoch++;
        step = 0;
        lastRead = null;
        entries.forEach(Map::clear);
        newStreams();
        decodeCache.clear();
        codecWins.clear();
        pagesEncoded = encodeNanos = encodeMaxNanos = decodeNanos = decodeMaxNanos = 0;
        restores = fallbacks = decodeFailures = staleFrames = asyncWaitNanos = skipped = criticalNanos = cacheRawBytes = 0;
        releaseLimit = Integer.MAX_VALUE;
        stepStart = 0;
        warned = false;
        pipeline.resetPeak();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pipeline.close();
        decoder.close();
        synchronized (allDecoders) {
            allDecoders.forEach(PageCodec::close);
            allDecoders.clear();
        }
        spareDecoders.clear();
        dictionaries.closeAll();
    }
}
