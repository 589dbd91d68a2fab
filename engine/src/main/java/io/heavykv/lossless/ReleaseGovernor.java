package io.heavykv.lossless;

import io.heavykv.kvcache.KvPage;

/**
 * Store mode under a decode budget: how many pages may be released per step so that the work they cost keeps
 * within the budget's share of the step. That work is restoring them before attention reads them, and encoding
 * and verifying the pages about to be released: the encode workers run beside the decode, and on a machine whose
 * cores the decode's threads already fill, their time is taken from the decode. Without a budget it never limits.
 */
final class ReleaseGovernor {
    private final double budget;
    private int releaseLimit = Integer.MAX_VALUE;
    private int releasedThisStep;
    private int framedThisStep;
    private long readNanosThisStep;
    private long encodeNanosThisStep;
    private double encodeNanosPerStep;
    private long stepStart;

    /** @param budget the share of a step's time restores and encodes may take (0: no bound) */
    ReleaseGovernor(double budget) { this.budget = budget; }

    /** A step starts at {@code now}: the one before it is judged, and this one's counts start from zero. */
    void stepStarts(long now) {
        if (budget > 0 && stepStart != 0) steer(now - stepStart);
        stepStart = now;
        readNanosThisStep = 0;
        encodeNanosThisStep = 0;
        releasedThisStep = 0;
    }

    /** Time spent making a layer resident before attention read it. */
    void read(long nanos) { readNanosThisStep += nanos; }

    /** Time an encode worker spent encoding and verifying a page's frames, counted in the step that installs them. */
    void encoded(long nanos) { encodeNanosThisStep += nanos; }

    /** The end-of-step scan starts: pages are counted against the limit from the first layer. */
    void scanStarts() { framedThisStep = 0; }

    /**
     * Keeps the time restores and encodes took within the budget's share of the step: over it, the release limit shrinks
     * in proportion (the pages released first, in layer order, stay released); well under it, the limit grows
     * by an eighth a step, so it settles just below the budget.
     */
    private void steer(long stepNanos) {
        // Restores recur at every step for every released page; encodes come in bursts, when pages fill or an
        // eviction rewrites them (every update interval), so they are averaged over about 16 steps.
        encodeNanosPerStep += (encodeNanosThisStep - encodeNanosPerStep) / 16;
        double share = (readNanosThisStep + encodeNanosPerStep) / Math.max(1, stepNanos);
        if (share > budget) {
            releaseLimit = (int) (releasedThisStep * budget / share);
        } else if (share < 0.75 * budget && releaseLimit < Integer.MAX_VALUE / 2) {
            releaseLimit += Math.max(1, releaseLimit / 8);
        }
    }

    /**
     * Store mode frames a page only to release it: a page the release limit keeps raw drops its frames (they
     * would only add to the memory it takes) and is not encoded until the limit has room again. Released
     * pages always count and keep theirs. Counted in the order pages are released, layer by layer.
     */
    boolean mayFrame(KvPage page, FrameTable.Entry entry) {
        if (!page.resident() || framedThisStep < releaseLimit) {
            framedThisStep++;
            return true;
        }
        if (!entry.inFlight) entry.frames = null;
        return false;
    }

    boolean mayRelease() { return releasedThisStep < releaseLimit; }

    void released() { releasedThisStep++; }

    void reset() {
        releaseLimit = Integer.MAX_VALUE;
        stepStart = 0;
        encodeNanosPerStep = 0;
    }
}
