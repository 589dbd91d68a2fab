package io.heavykv.codec;

/**
 * A frame cannot be decoded into exactly the bytes that were encoded: bad magic, unknown codec or dictionary,
 * truncated or over-long data, inconsistent lengths, an entropy-stage error or a checksum mismatch.
 * Unchecked so decoding can sit inside lambdas and loops of the runtime, but it is the ONLY exception
 * {@link FrameReader} lets escape for bad frame content; the message names the field and the values.
 */
public final class CorruptFrameException extends RuntimeException {
    public CorruptFrameException(String message) { super(message); }

    public CorruptFrameException(String message, Throwable cause) { super(message, cause); }
}
