package io.heavykv.lossless;

/**
 * Content fingerprint of a page's frames, the decode caches' key: the CRC32C of the raw K and V (from the
 * frame headers), the frame lengths and a hash of each frame's bytes. Two pages share a key only if their
 * raw bytes agree on two independent 32-bit CRCs and their frames on lengths and two more hashes, so a
 * cache hit serving another page's KV would take a collision of about 128 bits at once.
 */
record FrameKey(int kChecksum, int vChecksum, int kLength, int vLength, int kHash, int vHash) {
}
