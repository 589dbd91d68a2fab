package io.heavykv.kvcache;

import io.heavykv.model.Rope;

/**
 * The paged KV cache. It stores tokens in {@link PagedLayer}s and applies RoPE per its
 * {@link PositionMode}; which tokens stay is up to its {@link KvCacheHooks} ({@link KvCacheHooks#NONE}
 * keeps all).
 *
 * @param <H> the hooks' type, so a caller can reach a policy's statistics through {@link #hooks()}
 */
public final class PagedKvCache<H extends KvCacheHooks> implements KvCache {
    private final KvGeometry geometry;
    private final KvStorage storage;
    private final H hooks;
    private final PageStore store;
    private final PagedLayer[] layers;
    private final int[] lengthBeforeStep;
    private final boolean[] appended;
    private int stepPosition = -1;
    private int stepTokens;
    private int nextPosition;
    private int tokensSeen;
    private boolean inStep;
    private long peakResidentBytes;

    public PagedKvCache(KvGeometry geometry, KvStorage storage, H hooks) {
        this(geometry, storage, hooks, PageStore.NONE);
    }

    /** A cache whose pages may be released into {@code store} (lossless compression). */
    public PagedKvCache(KvGeometry geometry, KvStorage storage, H hooks, PageStore store) {
        if (storage.perHeadKeep() && store != PageStore.NONE) {
            // The lossless runtime frames pages holding every KV head of a token and finds them by layer slot.
            throw new IllegalArgumentException("lossless compression of a KV cache that keeps tokens per KV head is not supported");
        }
        this.geometry = geometry;
        this.storage = storage;
        this.hooks = hooks;
        this.store = store;
        Rope rope = Rope.of(geometry.headSize(), geometry.rope());
        this.layers = new PagedLayer[geometry.layers()];
        for (int l = 0; l < layers.length; l++) layers[l] = new PagedLayer(geometry, storage, rope, l, store);
        this.lengthBeforeStep = new int[layers.length];
        this.appended = new boolean[layers.length];
    }

    /** A cache that never evicts. */
    public static PagedKvCache<KvCacheHooks> full(KvGeometry geometry, KvStorage storage) {
        return new PagedKvCache<>(geometry, storage, KvCacheHooks.NONE);
    }

    public KvGeometry geometry() { return geometry; }

    public KvStorage storage() { return storage; }

    public H hooks() { return hooks; }

    public PageStore store() { return store; }

    /** Tokens appended to each layer since the last reset, evicted or not. */
    public int tokensSeen() { return tokensSeen; }

    /** Tokens of the step running now, or of the last one once it ended (0 before any step). */
    public int stepTokens() { return stepTokens; }

    /** Absolute position of the first token of that step (-1 before any step). */
    public int stepPosition() { return stepPosition; }

    /** Largest {@link #residentBytes()} seen at a step boundary since the last reset. */
    public long peakResidentBytes() { return peakResidentBytes; }

    @Override
    public int layers() { return layers.length; }

    @Override
    public void beginStep(int position, int tokens) {
        if (inStep) throw new IllegalStateException("beginStep while step at position " + stepPosition + " is open");
        if (tokens <= 0) throw new IllegalArgumentException("a step needs at least one token, got " + tokens);
        if (position < nextPosition) {
            throw new IllegalArgumentException("step position " + position + " is before the next position "
                    + nextPosition + "; positions must increase (reset() starts a new prompt)");
        }
        // Set first, so the hooks already see the step they open (prefill or decode, its size).
        stepPosition = position;
        stepTokens = tokens;
        hooks.beforeStep(this);
        store.beforeStep(this);
        for (int l = 0; l < layers.length; l++) {
            lengthBeforeStep[l] = layers[l].length();
            appended[l] = false;
        }
        inStep = true;
    }

    @Override
    public void append(int layer, float[] k, float[] v) {
        requireStep("append");
        checkLayer(layer);
        if (appended[layer]) throw new IllegalStateException("layer " + layer + " already appended in this step");
        int kvDim = geometry.kvDim();
        int needed = stepTokens * kvDim;
        if (k.length < needed || v.length < needed) {
            throw new IllegalArgumentException("append of " + stepTokens + " tokens needs " + needed
                    + " floats of K and V, got " + k.length + " and " + v.length);
        }
        PagedLayer target = layers[layer];
        for (int t = 0; t < stepTokens; t++) {
            target.append(k, t * kvDim, v, t * kvDim, stepPosition + t);
        }
        appended[layer] = true;
        // The forward pass reads a layer right after appending to it, on this thread and before attention
        // fans out: the one safe moment to bring released pages back.
        store.beforeRead(layer, target);
    }

    @Override
    public int queryPosition(int layer, int tokenInStep) {
        requireStep("queryPosition");
        checkLayer(layer);
        if (tokenInStep < 0 || tokenInStep >= stepTokens) {
            throw new IndexOutOfBoundsException("token " + tokenInStep + " of a step of " + stepTokens);
        }
        return storage.positionMode().slotPositions()
                ? lengthBeforeStep[layer] + tokenInStep
                : stepPosition + tokenInStep;
    }

    @Override
    public PagedLayer layer(int layer) {
        checkLayer(layer);
        return layers[layer];
    }

    @Override
    public void observe(int layer, int head, float[] weights, int offset, int length) {
        checkLayer(layer);
        if (head < 0 || head >= geometry.heads()) {
            throw new IndexOutOfBoundsException("head " + head + " of " + geometry.heads());
        }
        int slots = layers[layer].length(head / geometry.groupSize());
        if (length < 0 || length > slots || offset < 0 || offset + length > weights.length) {
            throw new IndexOutOfBoundsException("weights [" + offset + ", " + (offset + length) + ") for a head holding "
                    + slots + " slots in an array of " + weights.length);
        }
        hooks.observe(layer, head, weights, offset, length);
    }

    @Override
    public void endStep() {
        requireStep("endStep");
        for (int l = 0; l < layers.length; l++) {
            if (!appended[l]) throw new IllegalStateException("step ended without an append to layer " + l);
        }
        inStep = false;
        nextPosition = stepPosition + stepTokens;
        tokensSeen += stepTokens;
        peakResidentBytes = Math.max(peakResidentBytes, residentBytes());
        hooks.afterStep(this);
        store.afterStep(this);
    }

    @Override
    public long residentBytes() {
        long bytes = 0;
        for (PagedLayer layer : layers) bytes += layer.residentBytes();
        return bytes;
    }

    @Override
    public void reset() {
        for (PagedLayer layer : layers) layer.clear();
        inStep = false;
        stepPosition = -1;
        stepTokens = 0;
        nextPosition = 0;
        tokensSeen = 0;
        peakResidentBytes = 0;
        hooks.reset();
        store.reset();
    }

    @Override
    public void close() {
        for (PagedLayer layer : layers) layer.clear();
        store.close();
    }

    private void requireStep(String call) {
        if (!inStep) throw new IllegalStateException(call + " outside a step (call beginStep first)");
    }

    private void checkLayer(int layer) {
        if (layer < 0 || layer >= layers.length) {
            throw new IndexOutOfBoundsException("layer " + layer + " of " + layers.length);
        }
    }
}
