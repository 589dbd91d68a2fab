package io.heavykv.lossless;

/**
 * Between a page's payload ({@code KvPage.rawBytes()}: K then V, each head-major {@code [head][token][element]})
 * and the token-major K and V blocks the codecs and the KV dump use ({@code [token][head][element]}): the
 * delta/XOR predictors and channel-major planes work across tokens of one channel, and the runtime then
 * codes exactly what the offline evaluator measures.
 */
final class PageLayout {
    private final int kvHeads;
    private final int rowBytes;

    PageLayout(int kvHeads, int headSize, int elementBytes) {
        this.kvHeads = kvHeads;
        this.rowBytes = headSize * elementBytes;
    }

    /** Bytes of K (or of V) for {@code tokens} tokens. */
    int streamBytes(int tokens) { return tokens * kvHeads * rowBytes; }

    /** Splits a page payload of {@code tokens} tokens into token-major K and V. */
    void split(byte[] page, int tokens, byte[] k, byte[] v) {
        int half = streamBytes(tokens);
        transpose(page, 0, tokens, k, true);
        transpose(page, half, tokens, v, true);
    }

    /** Joins token-major K and V back into a page payload. */
    void join(byte[] k, byte[] v, int tokens, byte[] page) {
        int half = streamBytes(tokens);
        transpose(page, 0, tokens, k, false);
        transpose(page, half, tokens, v, false);
    }

    private void transpose(byte[] page, int pageOff, int tokens, byte[] stream, boolean toStream) {
        for (int h = 0; h < kvHeads; h++) {
            for (int t = 0; t < tokens; t++) {
                int headMajor = pageOff + (h * tokens + t) * rowBytes;
                int tokenMajor = (t * kvHeads + h) * rowBytes;
                if (toStream) System.arraycopy(page, headMajor, stream, tokenMajor, rowBytes);
                else System.arraycopy(stream, tokenMajor, page, headMajor, rowBytes);
            }
        }
    }
}
