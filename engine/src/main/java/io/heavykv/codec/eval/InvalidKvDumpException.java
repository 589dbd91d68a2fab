package io.heavykv.codec.eval;

import java.io.IOException;

/** A KV dump file is truncated, over-long or describes impossible geometry; the message names file and field. */
public final class InvalidKvDumpException extends IOException {
    public InvalidKvDumpException(String message) { super(message); }
}
