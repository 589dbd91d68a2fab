package io.heavykv.lossless;

/**
 * The compressed form of one page at one {@code KvPage.version()}: a K frame and a V frame, each a
 * self-describing codec frame of the page's tokens, token-major.
 *
 * @param kLabel      codec of the K frame ("+dict" when a dictionary was used); {@code vLabel} likewise
 * @param kDictionary id of the dictionary or context model the K frame names (0: none); {@code vDictionary} likewise
 */
record PageFrames(byte[] k, byte[] v, long version, int tokens, int rawBytes, FrameKey key, String kLabel, String vLabel,
                  int kDictionary, int vDictionary) {

    int storedBytes() { return k.length + v.length; }
}
