package io.heavykv.codec;

/** Order of values inside each byte plane. */
enum PlaneLayout {
    /** As the block is stored: all channels of token 0, then token 1, ... */
    TOKEN_MAJOR,
    /** Transposed: one channel's values over all tokens are adjacent, so per-channel structure forms runs. */
    CHANNEL_MAJOR
}
