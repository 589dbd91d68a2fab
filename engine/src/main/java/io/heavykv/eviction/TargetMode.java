package io.heavykv.eviction;

/** How H2O sets its keep budget. */
public enum TargetMode {
    /** Keep {@code target_keep_ratio} of the tokens seen. */
    STATIC,
    /**
     * Start at {@code target_keep_ratio} and steer it so that the measured lossy ratio (tokens seen /
     * tokens kept) approaches {@code target_lossy_ratio} despite floors, block rounding and slack.
     */
    ADAPTIVE
}
