package io.heavykv.lossless;

/**
 * A released page's frames did not decode back into its KV: the raw payload is gone, so the step cannot be
 * computed correctly and ends here rather than attend over wrong keys and values.
 */
public final class LosslessDecodeException extends RuntimeException {
    private final int layer;
    private final int page;

    public LosslessDecodeException(int layer, int page, String detail, Throwable cause) {
        super("lossless store: layer " + layer + " page " + page + " " + detail, cause);
        this.layer = layer;
        this.page = page;
    }

    public int layer() { return layer; }

    public int page() { return page; }
}
